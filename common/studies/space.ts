import { trainConfigSchema, type TrainConfig } from '../contract'
import type { ModelGraph } from '../graph/types'
import { inferGraph } from '../graph/infer'
import type { ParamSpec, SearchSpace } from './schemas'

export { paramSpecSchema, searchSpaceSchema, type ParamSpec, type SearchSpace } from './schemas'

/** One trial's parameter values, keyed as in the space. */
export type TrialParams = Record<string, unknown>

/** The TrainConfig fields a study may vary. */
export const TUNABLE_CONFIG_FIELDS = ['learningRate', 'batchSize', 'optimizer', 'epochs', 'momentum', 'schedule', 'earlyStopping', 'loss', 'seed'] as const

/** Largest grid a study may expand (a bigger one is refused with its size). */
export const MAX_GRID = 10_000

/**
 * Checks a space against the base graph: every key names a tunable TrainConfig field or an existing
 * layer's parameter, and every range is ordered. Returns one message per problem, naming the key.
 */
export function spaceProblems(space: SearchSpace, graph: ModelGraph): string[] {
  const problems: string[] = []
  const keys = Object.keys(space)
  if (keys.length === 0) problems.push('The search space is empty: give at least one parameter to vary.')
  for (const key of keys) {
    const spec = space[key]
    if (key.includes('.')) {
      const dot = key.indexOf('.')
      const layer = key.slice(0, dot)
      const param = key.slice(dot + 1)
      const node = graph.nodes.find((n) => n.name === layer)
      if (!node) problems.push(`"${key}": the model has no layer named "${layer}" (layers: ${graph.nodes.map((n) => n.name).join(', ')}).`)
      else if (!(param in node.params)) problems.push(`"${key}": layer "${layer}" (${node.type}) has no parameter "${param}" (it has: ${Object.keys(node.params).join(', ')}).`)
    } else if (!(TUNABLE_CONFIG_FIELDS as readonly string[]).includes(key)) {
      problems.push(`"${key}": not a training setting a study can vary (use one of ${TUNABLE_CONFIG_FIELDS.join(', ')}, or layer_name.param).`)
    }
    if (spec.kind !== 'choice' && !(spec.min <= spec.max)) problems.push(`"${key}": min ${spec.min} is above max ${spec.max}.`)
  }
  return problems
}

/** The values a grid takes for one parameter: a choice's list, or evenly (log-)spaced points of a range. */
export function gridValues(key: string, spec: ParamSpec): unknown[] {
  if (spec.kind === 'choice') return spec.values
  if (!spec.gridPoints) throw new Error(`"${key}": a grid needs a list of values, or gridPoints for the range ${spec.min}..${spec.max}.`)
  const n = spec.gridPoints
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const t = i / (n - 1)
    const v = spec.kind === 'loguniform' ? Math.exp(Math.log(spec.min) + t * (Math.log(spec.max) - Math.log(spec.min))) : spec.min + t * (spec.max - spec.min)
    out.push(spec.kind === 'uniform' && spec.integer ? Math.round(v) : v)
  }
  return [...new Set(out)]
}

/** Every combination of a space (the full product), in key order with the last key varying fastest. */
export function expandGrid(space: SearchSpace): TrialParams[] {
  const keys = Object.keys(space)
  const axes = keys.map((k) => gridValues(k, space[k]))
  const size = axes.reduce((n, a) => n * a.length, 1)
  if (size > MAX_GRID) throw new Error(`The grid has ${size} combinations, more than ${MAX_GRID}: use random search or ASHA, or fewer values.`)
  const out: TrialParams[] = []
  const idx = keys.map(() => 0)
  for (let c = 0; c < size; c++) {
    const p: TrialParams = {}
    keys.forEach((k, i) => (p[k] = axes[i][idx[i]]))
    out.push(p)
    for (let i = keys.length - 1; i >= 0; i--) {
      if (++idx[i] < axes[i].length) break
      idx[i] = 0
    }
  }
  return out
}

/** Draws one trial's values from a space with the given generator (uniform, log-uniform, or a choice). */
export function sampleParams(space: SearchSpace, random: () => number): TrialParams {
  const p: TrialParams = {}
  for (const [key, spec] of Object.entries(space)) {
    const u = random()
    if (spec.kind === 'choice') p[key] = spec.values[Math.min(spec.values.length - 1, Math.floor(u * spec.values.length))]
    else if (spec.kind === 'loguniform') p[key] = Math.exp(Math.log(spec.min) + u * (Math.log(spec.max) - Math.log(spec.min)))
    else {
      const v = spec.min + u * (spec.max - spec.min)
      p[key] = spec.integer ? Math.min(spec.max, Math.round(v)) : v
    }
  }
  return p
}

/** A trial's concrete config and graph, or why the combination cannot run. */
export type AppliedTrial = { ok: true; config: TrainConfig; graph: ModelGraph } | { ok: false; reason: string }

/**
 * Applies a trial's values to the base config and graph, then validates both: the config against
 * the training schema, the graph by shape inference, so a bad combination is refused before it runs.
 */
export function applyParams(baseConfig: TrainConfig, baseGraph: ModelGraph, params: TrialParams): AppliedTrial {
  const config: Record<string, unknown> = { ...baseConfig }
  const graph: ModelGraph = { ...baseGraph, nodes: baseGraph.nodes.map((n) => ({ ...n, params: { ...n.params } })) }
  for (const [key, value] of Object.entries(params)) {
    const dot = key.indexOf('.')
    if (dot < 0) config[key] = value
    else {
      const node = graph.nodes.find((n) => n.name === key.slice(0, dot))
      if (!node) return { ok: false, reason: `"${key}": no layer named "${key.slice(0, dot)}".` }
      node.params[key.slice(dot + 1)] = value
    }
  }
  const parsed = trainConfigSchema.safeParse(config)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return { ok: false, reason: `Training setting "${issue.path.join('.')}": ${issue.message}` }
  }
  const errors = inferGraph(graph).issues.filter((i) => i.severity === 'error')
  if (errors.length) return { ok: false, reason: `The model does not build with these values: ${errors.map((e) => e.message).join(' ')}` }
  return { ok: true, config: parsed.data, graph }
}

/**
 * The trials of a random (or ASHA) study: n seeded draws. When every parameter is a list of values,
 * draws are taken without replacement from the grid (a seeded shuffle), so no combination is
 * trained twice and n at least the grid's size covers all of it.
 */
export function sampleTrials(space: SearchSpace, n: number, random: () => number): TrialParams[] {
  const discrete = Object.values(space).every((s) => s.kind === 'choice')
  const size = Object.values(space).reduce((k, s) => k * (s.kind === 'choice' ? s.values.length : Infinity), 1)
  if (!discrete || size > MAX_GRID) return Array.from({ length: n }, () => sampleParams(space, random))
  const grid = expandGrid(space)
  for (let i = grid.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[grid[i], grid[j]] = [grid[j], grid[i]]
  }
  return grid.slice(0, n)
}
