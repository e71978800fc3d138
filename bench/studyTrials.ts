// Benchmarks `study_trials_at_once`: the same grid study (4 trials of the spam MLP, 57-512-256-1
// with Dropout, on a generated 57-feature table) through the app's real training workers, once
// with one trial per core at once (the default, settings.studyTrialsAtOnce 'auto') and once with
// one trial at a time (each trial then has every core, data-parallel where the step pays).
// Alternated rounds; prints trials per minute side by side against one at a time.
// Standalone: `npx tsx bench/studyTrials.ts` (builds the workers first when they are stale).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createCore, type Core } from '../main/core/createCore'
import { importCsv } from '../main/datasets/csv/import'
import { seededRandom } from '../common/datasets/prng'
import { buildTemplate } from '../common/graph'
import type { StudyDetail } from '../common/studies/types'
import type { ModelDetail, TrainConfig } from '../common/contract'
import { ensureBuilt } from '../test/helpers/hostProcess'
import type { BenchLine } from './run'
import { median, round } from './stats'

const CONFIG: TrainConfig = {
  optimizer: 'adam', learningRate: 0.001, momentum: 0.9, schedule: { kind: 'none' }, batchSize: 64, epochs: 3,
  loss: 'binaryCrossentropy', earlyStopping: null, seed: 3, backend: 'auto', keepCheckpoints: 1,
}
const SPACE = { learningRate: { kind: 'choice', values: [0.0003, 0.001, 0.003, 0.01] } } as const

async function setup(dir: string): Promise<{ core: Core; modelVersionId: number; datasetVersionId: number }> {
  const core = createCore({ dataDir: dir, transport: 'browser', appVersion: 'bench', workerDir: resolve(__dirname, '..', 'out', 'main') })
  const r = seededRandom(5)
  const header = [...Array.from({ length: 57 }, (_, i) => `f${i}`), 'spam']
  const rows = [header.join(',')]
  for (let i = 0; i < 6000; i++) {
    const f = Array.from({ length: 57 }, () => r())
    rows.push([...f.map((v) => v.toFixed(4)), f[0]! + f[1]! * f[2]! > 0.8 ? 'yes' : 'no'].join(','))
  }
  writeFileSync(join(dir, 'table.csv'), rows.join('\n'))
  const imported = await importCsv(core.db, join(dir, 'table.csv'), { name: 'table', recipe: { target: 'spam' }, split: { train: 0.8, validation: 0.2, test: 0, seed: 1 } })
  const saved = await core.call('models.save', { name: 'spam mlp', graph: buildTemplate('spam_mlp') })
  if (!saved.ok) throw new Error(saved.message)
  return { core, modelVersionId: (saved.value as ModelDetail).versionId, datasetVersionId: imported.versionId }
}

/** Seconds from creating the study to its completion. */
async function timeStudy(core: Core, ids: { modelVersionId: number; datasetVersionId: number }, atOnce: 'auto' | 1): Promise<number> {
  await core.call('settings.update', { studyTrialsAtOnce: atOnce })
  const t0 = performance.now()
  const created = await core.call('studies.create', { name: `at once ${atOnce}`, ...ids, config: CONFIG, space: SPACE, strategy: { kind: 'grid' }, objective: { metric: 'val_loss', direction: 'min' } })
  if (!created.ok) throw new Error(created.message)
  const id = (created.value as StudyDetail).id
  for (;;) {
    const s = await core.call('studies.get', { studyId: id })
    if (!s.ok) throw new Error(s.message)
    const study = s.value as StudyDetail
    if (study.state === 'completed') {
      if (study.trials.some((t) => t.state !== 'completed')) throw new Error(`a trial did not complete: ${JSON.stringify(study.trials.map((t) => t.state))}`)
      break
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  const seconds = (performance.now() - t0) / 1000
  await core.engine.idle()
  return seconds
}

/** The study_trials_at_once line: trials/min side by side against one at a time. */
export async function benchStudyTrials(rounds = 2): Promise<BenchLine> {
  ensureBuilt()
  const dir = mkdtempSync(join(tmpdir(), 'nw-bench-trials-'))
  const { core, ...ids } = await setup(dir)
  const trials = SPACE.learningRate.values.length
  const side: number[] = []
  const single: number[] = []
  const loads: number[] = []
  try {
    for (let i = 0; i < rounds; i++) {
      loads.push(round(loadavg()[0], 1))
      single.push(trials / ((await timeStudy(core, ids, 1)) / 60))
      side.push(trials / ((await timeStudy(core, ids, 'auto')) / 60))
    }
  } finally {
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  }
  const pair = side.map((s, i) => round(s / single[i]!, 3))
  return {
    case: 'study_trials_at_once',
    ours: round(median(side), 1),
    reference: round(median(single), 1),
    unit: 'trials/min',
    ratio: round(median(side) / median(single), 3),
    better: 'higher',
    reference_name: `one trial at a time; a 4-trial grid of the spam MLP (3 epochs, 4,800 rows), ${availableParallelism()} cores, pair ratios ${pair.join(', ')}, load ${loads.join(', ')}`,
  }
}

if (require.main === module) void benchStudyTrials().then((l) => console.log(JSON.stringify(l)))
