// Benchmarks of the runs data layer on generated stores of 1,000 and 100 runs, each run with
// 4 metrics × 2,500 steps (10M and 1M metric rows), realistic configs, tags, states, models and
// datasets. The stores are generated once and cached under .bench/ (gitignored).
// Cases (shared format, ../shared/bench/README.md; references are budgets):
//   runs_first_page_1000 / runs_first_page_100   ms, the runs table's first page (worst of unsorted,
//                                                 sorted by a metric, filtered + sorted), budget 200
//   series_100_runs / series_100_runs_store100    ms, fetch + downsample 100 runs' loss for 1,500 px, budget 100
//   metric_writes                                 rows/s in batches of 1,000, reference 50,000 (higher is better)
// Standalone: `npx tsx bench/runsQueries.ts` prints the JSON lines.
import type { Database } from 'better-sqlite3'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { buildTemplate, TEMPLATE_NAMES } from '../common/graph'
import type { MetricRow, RunListQuery, RunState } from '../common/runs/types'
import { openStore } from '../main/store'
import { getSeries, insertMetrics } from '../main/store/queries/metrics'
import { listRuns } from '../main/store/queries/runs'
import { seededRandom } from '../common/datasets/prng'
import { median } from './stats'

/** One result line in the shared bench format, plus case-specific extra fields. */
export interface RunsBenchLine {
  case: string
  ours: number
  reference: number
  unit: string
  ratio: number
  better: 'higher' | 'lower'
  reference_name: string
  [extra: string]: unknown
}

const BENCH_DIR = resolve(__dirname, '..', '.bench')
const STEPS = 2500
const METRICS = ['accuracy', 'loss', 'val_accuracy', 'val_loss'] as const // PK order within a run
// Bump when the generated data changes, so cached stores are rebuilt.
const GENERATOR_VERSION = 'runs-bench-v2'

const prng = seededRandom

const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits


/** Median ms of fn over `runs` timed calls after `warm` untimed ones. */
function time(fn: () => unknown, runs = 15, warm = 3): number {
  for (let i = 0; i < warm; i++) fn()
  const ts: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    fn()
    ts.push(performance.now() - t0)
  }
  return median(ts)
}

const TAGS = ['baseline', 'sweep-lr', 'sweep-bs', 'augment', 'ablation', 'best', 'gpu', 'overnight', 'debug', 'paper', 'regularized', 'v2-data']
const STATES: [RunState, number][] = [['completed', 0.82], ['failed', 0.06], ['stopped', 0.05], ['interrupted', 0.03], ['running', 0.02], ['paused', 0.02]]
const DATASETS = ['mnist', 'fashion-mnist', 'cifar10', 'spam', 'housing', 'titanic', 'sentiment', 'flowers']
const BACKENDS = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']

function pickOne<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)] as T
}

function pickState(rnd: () => number): RunState {
  let u = rnd()
  for (const [s, p] of STATES) if ((u -= p) < 0) return s
  return 'completed'
}

/** Models (1-3 versions each) and datasets (1-2 versions each); returns their version ids. */
function seedCatalog(db: Database, rnd: () => number): { models: number[]; datasets: number[] } {
  const models: number[] = []
  const datasets: number[] = []
  const now = Date.UTC(2026, 8, 1)
  for (let i = 0; i < 20; i++) {
    const template = TEMPLATE_NAMES[i % TEMPLATE_NAMES.length] as (typeof TEMPLATE_NAMES)[number]
    const id = Number(db.prepare('INSERT INTO models (name, created_at, updated_at) VALUES (?, ?, ?)').run(`${template.replace(/_/g, '-')}-${i}`, now, now).lastInsertRowid)
    const graph = JSON.stringify(buildTemplate(template))
    for (let v = 1; v <= 1 + Math.floor(rnd() * 3); v++) {
      models.push(Number(db.prepare('INSERT INTO model_versions (model_id, version, graph_json, created_at) VALUES (?, ?, ?, ?)').run(id, v, graph, now).lastInsertRowid))
    }
  }
  for (const name of DATASETS) {
    const id = Number(db.prepare("INSERT INTO datasets (name, kind, created_at, updated_at) VALUES (?, 'tabular', ?, ?)").run(name, now, now).lastInsertRowid)
    for (let v = 1; v <= 1 + Math.floor(rnd() * 2); v++) {
      datasets.push(
        Number(
          db
            .prepare("INSERT INTO dataset_versions (dataset_id, version, source_name, source_hash, schema_json, row_count, byte_size, created_at) VALUES (?, ?, ?, 'h', '{}', 60000, 1000000, ?)")
            .run(id, v, `${name}.csv`, now).lastInsertRowid,
        ),
      )
    }
  }
  return { models, datasets }
}

/** One run's 4 × 2,500 metric rows in primary-key order: noisy exponential learning curves. */
function runMetrics(runId: number, rnd: () => number, diverges: boolean, epochs: number, secPerStep: number): MetricRow[] {
  const rows: MetricRow[] = []
  const tau = 200 + rnd() * 800
  const floor = 0.05 + rnd() * 0.4
  const ceiling = 0.75 + rnd() * 0.24
  const gap = rnd() * 0.1
  const divergeAt = diverges ? Math.floor(STEPS * (0.3 + rnd() * 0.6)) : STEPS
  const perEpoch = STEPS / epochs
  for (const name of METRICS) {
    const isLoss = name.endsWith('loss')
    const val = name.startsWith('val_')
    for (let k = 0; k < STEPS; k++) {
      const decay = Math.exp(-k / tau)
      const noise = (rnd() - 0.5) * (val ? 0.03 : 0.08)
      let value = isLoss ? floor + (2.3 - floor) * decay + noise + (val ? gap : 0) : Math.min(1, Math.max(0, ceiling - (ceiling - 0.1) * decay + noise - (val ? gap / 2 : 0)))
      if (k >= divergeAt) value = isLoss ? NaN : 0.1
      rows.push({ runId, name, step: k + 1, epoch: Math.floor(k / perEpoch) + 1, value, wallTime: round((k + 1) * secPerStep, 4) })
    }
  }
  return rows
}

/** Generates a store of `runs` runs in one transaction; returns the seconds it took. */
function generate(path: string, runs: number): number {
  const t0 = performance.now()
  const db = openStore(path) // the real schema and migrations
  // Generator only: no WAL (it would hold a second copy of the whole store), no syncs, a big cache,
  // and temp_store=MEMORY: the nested insertMetrics calls are savepoints, whose sub-journal would
  // otherwise spill to a temp file with about one write per row (14x slower). A crash mid-way
  // leaves no marker, so the store is regenerated. (journal_mode=OFF is refused in defensive mode.)
  db.pragma('journal_mode = MEMORY')
  db.pragma('synchronous = OFF')
  db.pragma('temp_store = MEMORY')
  db.pragma('cache_size = -262144')
  const rnd = prng(runs)
  db.transaction(() => {
    const { models, datasets } = seedCatalog(db, rnd)
    const insertRun = db.prepare(
      `INSERT INTO runs (name, model_version_id, dataset_version_id, config_json, state, backend, error, tags_json, note, created_at, started_at, ended_at, heartbeat_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    const start = Date.UTC(2026, 8, 1)
    for (let i = 0; i < runs; i++) {
      const state = pickState(rnd)
      const config = {
        optimizer: pickOne(rnd, ['adam', 'adamw', 'sgd', 'rmsprop']),
        learningRate: pickOne(rnd, [1e-4, 3e-4, 1e-3, 3e-3, 1e-2]),
        batchSize: pickOne(rnd, [32, 64, 128, 256]),
        epochs: pickOne(rnd, [5, 10, 20, 50]),
        loss: 'categoricalCrossentropy',
        seed: Math.floor(rnd() * 10000),
        schedule: rnd() < 0.6 ? { kind: 'none' } : { kind: pickOne(rnd, ['step', 'cosine']), factor: 0.5, every: 5 },
        earlyStopping: rnd() < 0.5 ? null : { monitor: 'val_loss', patience: 3 },
      }
      const tags = TAGS.filter(() => rnd() < 0.12)
      const model = pickOne(rnd, models)
      const dataset = pickOne(rnd, datasets)
      const secPerStep = 0.005 + rnd() * 0.2
      const created = start + i * 3_600_000
      const started = created + Math.floor(rnd() * 60_000)
      const ended = state === 'running' || state === 'paused' ? null : started + Math.floor(STEPS * secPerStep * 1000)
      const id = Number(
        insertRun.run(
          `${config.optimizer}-lr${config.learningRate}-bs${config.batchSize} #${i + 1}`,
          model,
          dataset,
          JSON.stringify(config),
          state,
          pickOne(rnd, BACKENDS),
          state === 'failed' ? 'Loss became NaN' : null,
          JSON.stringify(tags),
          rnd() < 0.2 ? `tried ${config.optimizer} with ${config.batchSize}; ${pickOne(rnd, ['looks good', 'overfits', 'too slow', 'compare with baseline'])}` : '',
          created,
          started,
          ended,
          ended ?? started + Math.floor(STEPS * secPerStep * 1000),
        ).lastInsertRowid,
      )
      insertMetrics(db, runMetrics(id, rnd, state === 'failed', config.epochs, secPerStep))
    }
    db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('bench_generator', ?)").run(JSON.stringify(GENERATOR_VERSION))
  })()
  db.pragma('journal_mode = WAL')
  db.close()
  return (performance.now() - t0) / 1000
}

/** Path of the cached store of `runs` runs, generating it when missing or stale; and how long that took. */
export function benchStore(runs: number): { path: string; generatedSeconds: number | null } {
  mkdirSync(BENCH_DIR, { recursive: true })
  const path = join(BENCH_DIR, `runs-${runs}x${METRICS.length}x${STEPS}.sqlite`)
  if (existsSync(path)) {
    try {
      const db = openStore(path)
      const marker = db.prepare("SELECT value FROM settings WHERE key = 'bench_generator'").pluck().get() as string | undefined
      db.close()
      if (marker === JSON.stringify(GENERATOR_VERSION)) return { path, generatedSeconds: null }
    } catch {
      // unreadable or from an older schema: regenerate
    }
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
  return { path, generatedSeconds: round(generate(path, runs), 1) }
}

function budgetLine(name: string, ours: number, budget: number, extra: Record<string, unknown>): RunsBenchLine {
  const v = round(ours)
  return { case: name, ours: v, reference: budget, unit: 'ms', ratio: round(v / budget, 4), better: 'lower', reference_name: 'budget', ...extra }
}

/** The runs table's first page in three shapes; the line reports the slowest. */
function firstPage(db: Database, runs: number): RunsBenchLine {
  const queries: Record<string, RunListQuery> = {
    unsorted: { limit: 50 },
    sorted: { limit: 50, sort: { by: 'metric', metric: 'val_accuracy', dir: 'desc' } },
    filtered: {
      limit: 50,
      sort: { by: 'metric', metric: 'val_loss', stat: 'min', dir: 'asc' },
      filter: { states: ['completed', 'stopped'], expression: 'val_accuracy > 0.8 AND loss.last < 1', text: 'adam' },
    },
    text_and_tag: { limit: 50, sort: { by: 'config', key: 'learningRate', dir: 'desc' }, filter: { tags: ['sweep-lr'], text: 'good' } },
  }
  const cold = performance.now()
  listRuns(db, queries.sorted)
  const coldMs = performance.now() - cold
  const ms: Record<string, number> = {}
  for (const [k, q] of Object.entries(queries)) ms[k] = time(() => listRuns(db, q))
  // What sorting by a best value costs without metric_summaries: scanning every series.
  const scan = db.prepare(
    "SELECT r.id, (SELECT max(value) FROM metrics m WHERE m.run_id = r.id AND m.name = 'val_accuracy') AS best FROM runs r ORDER BY best DESC LIMIT 50",
  )
  const scanMs = time(() => scan.all(), 3, 1)
  const total = listRuns(db, queries.filtered).total
  return budgetLine(`runs_first_page_${runs}`, Math.max(...Object.values(ms)), 200, {
    runs,
    unsorted_ms: round(ms.unsorted as number),
    sorted_by_metric_ms: round(ms.sorted as number),
    filtered_sorted_ms: round(ms.filtered as number),
    filtered_matches: total,
    text_tag_config_sort_ms: round(ms.text_and_tag as number),
    cold_first_call_ms: round(coldMs),
    sort_by_scanning_metrics_ms: round(scanMs),
  })
}

/** Fetch + downsample 100 runs' loss curves for a 1,500 px chart. */
function series(db: Database, name: string, runs: number): RunsBenchLine {
  const all = db.prepare('SELECT id FROM runs ORDER BY id').pluck().all() as number[]
  const ids = all.filter((_, i) => i % Math.max(1, Math.floor(all.length / 100)) === 0).slice(0, 100)
  const run = (x: 'step' | 'wall') => getSeries(db, ids, 'loss', { x, maxPoints: 1500 })
  const out = run('step')
  const ms = time(() => run('step'), 10, 2)
  const wallMs = time(() => run('wall'), 5, 1)
  return budgetLine(name, ms, 100, {
    store_runs: runs,
    runs: ids.length,
    rows_read: out.reduce((s, r) => s + r.total, 0),
    points_returned: out.reduce((s, r) => s + r.x.length, 0),
    x_wall_ms: round(wallMs),
  })
}

/** Rows/s of insertMetrics in batches of 1,000 (4 metrics × 250 steps) into a fresh store. */
function writes(): RunsBenchLine {
  const dir = join(BENCH_DIR, 'writes')
  rmSync(dir, { recursive: true, force: true })
  const db = openStore(join(dir, 'w.sqlite'))
  try {
    const run = Number(db.prepare("INSERT INTO runs (name, created_at) VALUES ('w', 0)").run().lastInsertRowid)
    const batches = (size: number, count: number, offset: number): number => {
      const perBatch = size / 4
      const t0 = performance.now()
      for (let b = 0; b < count; b++) {
        const rows: MetricRow[] = []
        for (let s = 0; s < perBatch; s++) {
          const step = offset + b * perBatch + s
          for (const name of ['batch_loss', 'batch_accuracy', 'lr', 'loss']) rows.push({ runId: run, name, step, epoch: step >> 10, value: 1 / (1 + step), wallTime: step / 100 })
        }
        insertMetrics(db, rows)
      }
      return (size * count) / ((performance.now() - t0) / 1000)
    }
    batches(1000, 20, 0) // warm-up
    const rate1000 = batches(1000, 300, 10_000)
    const rate100 = batches(100, 500, 200_000)
    const resumed = batches(1000, 50, 100_000) // overwrites existing steps: summaries recomputed per batch
    const ours = Math.round(rate1000)
    return {
      case: 'metric_writes', ours, reference: 50000, unit: 'rows/s', ratio: round(ours / 50000, 4), better: 'higher', reference_name: 'budget',
      batch_rows: 1000, batch_100_rows_per_s: Math.round(rate100), overwrite_batch_1000_rows_per_s: Math.round(resumed),
    }
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Every line of this benchmark (generating the stores first if needed). */
export async function benchRunsQueries(): Promise<RunsBenchLine[]> {
  const lines: RunsBenchLine[] = []
  for (const runs of [1000, 100]) {
    const { path, generatedSeconds } = benchStore(runs)
    const t0 = performance.now()
    const db = openStore(path)
    const openMs = performance.now() - t0
    try {
      const page = firstPage(db, runs)
      page.generated_seconds = generatedSeconds
      page.open_store_ms = round(openMs)
      lines.push(page)
      lines.push(series(db, runs === 1000 ? 'series_100_runs' : 'series_100_runs_store100', runs))
    } finally {
      db.close()
    }
  }
  lines.push(writes())
  return lines
}

// Run as a script (tsx bench/runsQueries.ts) → print the JSON lines.
if (typeof process !== 'undefined' && /runsQueries\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  benchRunsQueries().then(
    (lines) => {
      for (const l of lines) console.log(JSON.stringify(l))
    },
    (e: unknown) => {
      console.error(e)
      process.exitCode = 1
    },
  )
}
