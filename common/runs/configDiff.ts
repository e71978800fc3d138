// Side-by-side hyperparameters of several runs: nested keys flattened to dot paths
// ("schedule.kind"), one row per key, flagged where the runs disagree.

/** One hyperparameter across runs; a run without the key has no entry in values. */
export interface ConfigDiffRow {
  key: string
  values: Record<string, unknown>
  differs: boolean
}

/** Options of diffConfigs. */
export interface ConfigDiffOptions {
  /** Keep only the rows where the runs disagree. */
  onlyDifferences?: boolean
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/**
 * Flattens nested objects to dot paths, in key order. Arrays, null, primitives and empty objects
 * are leaves (an array such as kernelSize [3, 3] is one value, compared whole).
 */
export function flattenConfig(config: unknown, prefix = '', out: Map<string, unknown> = new Map()): Map<string, unknown> {
  if (!isPlainObject(config)) {
    if (prefix) out.set(prefix, config)
    return out
  }
  const keys = Object.keys(config)
  if (keys.length === 0 && prefix) out.set(prefix, {})
  for (const k of keys) flattenConfig(config[k], prefix ? `${prefix}.${k}` : k, out)
  return out
}

// JSON text is a faithful equality for JSON leaves (0.001 and 1e-3 both print "0.001").
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * One row per flattened key (keys in first-seen order over the runs as given), with each run's
 * value and whether they differ; a key missing from some runs differs.
 */
export function diffConfigs(configs: Record<string, unknown>, opts: ConfigDiffOptions = {}): ConfigDiffRow[] {
  const runIds = Object.keys(configs)
  const flat = runIds.map((id) => flattenConfig(configs[id]))
  const keys: string[] = []
  const seen = new Set<string>()
  for (const f of flat) {
    for (const k of f.keys()) {
      if (!seen.has(k)) {
        seen.add(k)
        keys.push(k)
      }
    }
  }
  const rows = keys.map((key): ConfigDiffRow => {
    const values: Record<string, unknown> = {}
    let differs = false
    runIds.forEach((id, i) => {
      const f = flat[i] as Map<string, unknown>
      if (f.has(key)) values[id] = f.get(key)
      else differs = true
    })
    if (!differs) {
      const first = values[runIds[0] as string]
      differs = runIds.some((id) => !same(values[id], first))
    }
    return { key, values, differs }
  })
  return opts.onlyDifferences ? onlyDifferences(rows) : rows
}

/** The rows where the runs disagree. */
export function onlyDifferences(rows: readonly ConfigDiffRow[]): ConfigDiffRow[] {
  return rows.filter((r) => r.differs)
}
