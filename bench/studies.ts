// Benchmarks `study_asha` and `study_overhead`: a real study through the core (training on this
// thread, cpu backend) on a generated regression problem whose val_loss depends on the learning
// rate and the hidden units. The grid trains every combination in full; ASHA draws as many
// trials from the same values and stops the worst at rungs. Standalone: `npx tsx bench/studies.ts`.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCore, type Core } from '../main/core/createCore'
import { importCsv } from '../main/datasets/csv/import'
import { seededRandom } from '../common/datasets/prng'
import { defaultParams } from '../common/graph/catalog'
import type { LayerType, ModelGraph } from '../common/graph/types'
import type { StudyDetail } from '../common/studies/types'
import type { ModelDetail, TrainConfig } from '../common/contract'
import { inProcessTrainer } from '../test/helpers/inProcessWorker'
import type { BenchLine } from './run'

const CONFIG: TrainConfig = {
  optimizer: 'adam', learningRate: 0.01, momentum: 0.9, schedule: { kind: 'none' }, batchSize: 16, epochs: 9,
  loss: 'meanSquaredError', earlyStopping: null, seed: 3, backend: 'cpu', keepCheckpoints: 1,
}
const SPACE = { learningRate: { kind: 'choice', values: [0.0003, 0.003, 0.03, 0.3] }, 'dense_1.units': { kind: 'choice', values: [2, 8, 32, 64] } } as const

function chain(layers: [LayerType, Record<string, unknown>][]): ModelGraph {
  return {
    formatVersion: 1,
    nodes: layers.map(([type, params], i) => ({ id: `n${i + 1}`, type, name: `${type.toLowerCase()}_${i}`, params: { ...defaultParams(type), ...params } as never, position: { x: 0, y: i * 80 } })),
    edges: layers.slice(1).map((_, i) => ({ id: `e${i + 1}`, source: `n${i + 1}`, target: `n${i + 2}` })),
  }
}

async function setup(): Promise<{ core: Core; modelVersionId: number; datasetVersionId: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'nw-bench-study-'))
  const core = createCore({ dataDir: dir, transport: 'browser', appVersion: 'bench', spawnTrainer: inProcessTrainer })
  // Trials train on this thread here, so one at a time (study_trials_at_once measures side-by-side trials).
  await core.call('settings.update', { studyTrialsAtOnce: 1 })
  const r = seededRandom(1)
  const rows = ['a,b,c,d,y']
  for (let i = 0; i < 400; i++) {
    const [a, b, c, d] = [r() * 2 - 1, r() * 2 - 1, r() * 2 - 1, r() * 2 - 1]
    rows.push([a, b, c, d, Math.sin(3 * a) + b * c - d * d].map((v) => v.toFixed(4)).join(','))
  }
  writeFileSync(join(dir, 'problem.csv'), rows.join('\n'))
  const imported = await importCsv(core.db, join(dir, 'problem.csv'), { name: 'problem', recipe: { target: 'y' }, split: { train: 0.7, validation: 0.3, test: 0, seed: 1 } })
  const graph = chain([['Input', { shape: [4] }], ['Dense', { units: 8, activation: 'relu' }], ['Dense', { units: 1, activation: 'linear' }]])
  const saved = await core.call('models.save', { name: 'mlp', graph })
  if (!saved.ok) throw new Error(saved.message)
  return { core, modelVersionId: (saved.value as ModelDetail).versionId, datasetVersionId: imported.versionId }
}

async function runStudy(core: Core, ids: { modelVersionId: number; datasetVersionId: number }, strategy: unknown, maxTrials?: number): Promise<{ study: StudyDetail; steps: number; gaps: number[] }> {
  // Overhead: from one trial's run ending to the next run's first batch (its first progress event).
  const ended: number[] = []
  const gaps: number[] = []
  const seen = new Set<number>()
  const off = core.onEvent((event, payload) => {
    const now = performance.now()
    if (event === 'run.state' && ['completed', 'stopped'].includes((payload as { state: string }).state)) ended.push(now)
    if (event === 'run.progress') {
      const runId = (payload as { runId: number }).runId
      if (seen.has(runId)) return
      seen.add(runId)
      if (ended.length) gaps.push((now - ended[ended.length - 1]) / 1000)
    }
  })
  const created = await core.call('studies.create', { name: 'bench', ...ids, config: CONFIG, space: SPACE, strategy, objective: { metric: 'val_loss', direction: 'min' }, ...(maxTrials ? { maxTrials } : {}) })
  if (!created.ok) throw new Error(created.message)
  const id = (created.value as StudyDetail).id
  for (;;) {
    const s = await core.call('studies.get', { studyId: id })
    if (!s.ok) throw new Error(s.message)
    if ((s.value as StudyDetail).state === 'completed') break
    await new Promise((r) => setTimeout(r, 100))
  }
  await core.engine.idle()
  off()
  const study = (await core.call('studies.get', { studyId: id })) as { ok: true; value: StudyDetail }
  const runIds = study.value.trials.map((t) => t.runId).filter((r): r is number => r !== null)
  const steps = (core.db.prepare(`SELECT count(*) AS n FROM metrics WHERE name = 'batch_loss' AND run_id IN (${runIds.join(',')})`).get() as { n: number }).n
  return { study: study.value, steps, gaps }
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]

/** Runs the grid and ASHA studies; prints study_asha (steps ratio) and study_overhead. */
export async function benchStudies(): Promise<BenchLine[]> {
  const { core, ...ids } = await setup()
  try {
    const grid = await runStudy(core, ids, { kind: 'grid' })
    const asha = await runStudy(core, ids, { kind: 'asha', seed: 7, minEpochs: 1, eta: 3 }, 16)
    const gridBest = grid.study.best!.objective
    const ashaBest = asha.study.best!.objective
    const within = Math.abs(ashaBest - gridBest) / Math.abs(gridBest)
    const stepsRatio = asha.steps / grid.steps
    return [
      {
        case: 'study_asha',
        ours: stepsRatio,
        reference: 0.4,
        unit: 'x grid steps',
        ratio: stepsRatio / 0.4,
        better: 'lower',
        reference_name: `target <= 0.4 of grid steps; grid best val_loss ${gridBest.toFixed(4)} in ${grid.steps} steps, ASHA best ${ashaBest.toFixed(4)} (${(within * 100).toFixed(2)}% off, target <= 1%) in ${asha.steps} steps, ${asha.study.counts.pruned} of 16 stopped early`,
      },
      {
        case: 'study_overhead',
        ours: median([...grid.gaps, ...asha.gaps]),
        reference: 0.5,
        unit: 's',
        ratio: median([...grid.gaps, ...asha.gaps]) / 0.5,
        better: 'lower',
        reference_name: `target < 0.5 s; median of ${grid.gaps.length + asha.gaps.length} trial-to-trial gaps (run end -> next first batch)`,
      },
    ]
  } finally {
    await core.close()
  }
}

if (require.main === module) void benchStudies().then((lines) => lines.forEach((l) => console.log(JSON.stringify(l))))
