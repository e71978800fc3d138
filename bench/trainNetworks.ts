// Benchmarks `train_<template>` for every starting network: training throughput (samples/s) through
// the app's own path (a generated dataset imported into a temp store, a run started through the
// core, the training worker's fit loop reading batches from the store and writing metrics; the
// worker runs on this thread, as in tests) against the same model in PyTorch
// (bench/torch_networks_reference.py), alternated ours, torch, ours, torch. Our time is taken from
// the stored per-batch metrics: from the end of step 2 to the end of the last full step (torch
// warms up 2 steps too). Each line names the stepper the app chose (`stepper`, e.g. "data-parallel x2",
// and `stepper_reason`) and, per round, our speed on one thread and on two data-parallel threads
// (`ours_1thread`, `ours_2threads`; NW_TRAIN_THREADS forces the one the app did not choose). Standalone: `npx tsx bench/trainNetworks.ts [--only text_cnn_lstm] [--rounds 3]`
// (`--only` also takes the line's name, train_text_cnn_lstm; NW_BENCH_STEP_TIMES=1 prints each run's step times to stderr,
// to tell a slow step from a busy machine).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { createCore, type Core } from '../main/core/createCore'
import { importCsv } from '../main/datasets/csv/import'
import { importImageFolder } from '../main/datasets/images/import'
import { seededRandom } from '../common/datasets/prng'
import { buildTemplate, type TemplateName } from '../common/graph'
import type { ModelDetail, RunSummary, TrainConfig } from '../common/contract'
import { inProcessTrainer } from '../test/helpers/inProcessWorker'
import type { BenchLine } from './run'
import { setFusedRecurrentEnabled } from '../main/training/backends/recurrent/fusedRecurrent'
import { median, round } from './stats'
import { runTorchScript } from './torchRun'
import { setDenseStackEnabled } from '../main/training/backends/denseStack/denseStackStepper'

const TORCH_SCRIPT = join(__dirname, 'torch_networks_reference.py')

/** One network: the template, its batch size and loss, how many samples one timed run trains, and its data. */
interface Network {
  template: TemplateName
  batch: number
  loss: TrainConfig['loss']
  samples: number
  /** Has recurrent layers: each round also trains once on tfjs-layers' per-step path, for the fused kernels' speed-up. */
  recurrent?: boolean
  /** Imports a generated dataset of `rows` rows shaped for the template into the core's store; returns its version id. */
  data: (core: Core, dir: string, rows: number) => Promise<number>
}

/** A CSV of `rows` rows from `row(i)` with the header, imported with `columns` choices; the label is column `y`. */
async function csvData(core: Core, dir: string, name: string, header: string[], rows: number, row: (i: number) => string[], columns?: Record<string, unknown>): Promise<number> {
  const file = join(dir, `${name}.csv`)
  const lines = [header.join(',')]
  for (let i = 0; i < rows; i++) lines.push(row(i).join(','))
  writeFileSync(file, lines.join('\n'))
  // A small test split only: the end-of-run evaluation runs after the timed steps.
  const imported = await importCsv(core.db, file, { name, recipe: { target: 'y', ...(columns ? { columns: columns as never } : {}) }, split: { train: 0.97, validation: 0, test: 0.03, seed: 1 } })
  return imported.versionId
}

/** A class-folder tree of noise PNGs (width x height x channels, 10 classes), imported as an image dataset. */
async function imageData(core: Core, dir: string, name: string, size: number, channels: 1 | 3, rows: number): Promise<number> {
  const folder = join(dir, name)
  const r = seededRandom(5)
  for (let i = 0; i < rows; i++) {
    const cls = join(folder, `c${i % 10}`)
    if (i < 10) mkdirSync(cls, { recursive: true })
    const raw = Buffer.from(Uint8Array.from({ length: size * size * channels }, () => Math.floor(r() * 256)))
    writeFileSync(join(cls, `${i}.png`), await sharp(raw, { raw: { width: size, height: size, channels } }).png().toBuffer())
  }
  const imported = await importImageFolder(core.db, folder, { name, width: size, height: size, channels, split: { train: 0.97, validation: 0, test: 0.03, seed: 1 } })
  return imported.versionId
}

const NETWORKS: Network[] = [
  {
    template: 'and_xor_mlp',
    batch: 4,
    loss: 'binaryCrossentropy',
    samples: 1600,
    data: (core, dir, rows) => csvData(core, dir, 'and', ['a', 'b', 'y'], rows, (i) => [String(i & 1), String((i >> 1) & 1), (i & 3) === 3 ? 'pos' : 'neg']),
  },
  {
    template: 'spam_mlp',
    batch: 64,
    loss: 'binaryCrossentropy',
    samples: 3840,
    data: (core, dir, rows) => {
      const r = seededRandom(3)
      const header = [...Array.from({ length: 57 }, (_, k) => `f${k}`), 'y']
      return csvData(core, dir, 'spam', header, rows, () => {
        const f = Array.from({ length: 57 }, () => (r() * 4 - 2).toFixed(3))
        return [...f, r() < 0.4 ? 'spam' : 'ham']
      })
    },
  },
  { template: 'mnist_cnn', batch: 64, loss: 'categoricalCrossentropy', samples: 1280, data: (core, dir, rows) => imageData(core, dir, 'mnist', 28, 1, rows) },
  { template: 'cifar10_cnn', batch: 64, loss: 'categoricalCrossentropy', samples: 640, data: (core, dir, rows) => imageData(core, dir, 'cifar', 32, 3, rows) },
  {
    template: 'text_cnn_lstm',
    batch: 32,
    loss: 'categoricalCrossentropy',
    samples: 640,
    recurrent: true,
    data: (core, dir, rows) => {
      // 220 words a mail from 12,000 distinct ones, so the 10,000-token vocabulary fills and every sequence is 200 long.
      const r = seededRandom(4)
      return csvData(core, dir, 'mails', ['text', 'y'], rows, () => [Array.from({ length: 220 }, () => `w${Math.floor(r() * 12000)}`).join(' '), r() < 0.5 ? 'spam' : 'ham'], {
        text: { transform: 'tokens', vocabSize: 10000, sequenceLength: 200 },
      })
    },
  },
  { template: 'resnet_block', batch: 64, loss: 'categoricalCrossentropy', samples: 640, data: (core, dir, rows) => imageData(core, dir, 'resnet', 32, 3, rows) },
]

/** How a run took its steps, for the bench line: e.g. "data-parallel x2" or "tfjs-layers x1". */
function stepperName(run: RunSummary): string {
  return run.stepper ? `${run.stepper.label} x${run.stepper.threads}` : '?'
}

/**
 * One run of ours through the core: samples/s over the timed steps, the backend and the stepper it
 * used. `threads` sets NW_TRAIN_THREADS for the run ('1' one thread, '2' data-parallel on two;
 * undefined: the app's own choice).
 */
async function oursRun(core: Core, net: Network, ids: { modelVersionId: number; datasetVersionId: number }, threads?: string): Promise<{ samplesPerS: number; backend: string; stepper: string; stepperReason: string | null }> {
  const before = process.env.NW_TRAIN_THREADS
  if (threads === undefined) delete process.env.NW_TRAIN_THREADS
  else process.env.NW_TRAIN_THREADS = threads
  try {
    return await oursRunNow(core, net, ids)
  } finally {
    if (before === undefined) delete process.env.NW_TRAIN_THREADS
    else process.env.NW_TRAIN_THREADS = before
  }
}

async function oursRunNow(core: Core, net: Network, ids: { modelVersionId: number; datasetVersionId: number }): Promise<{ samplesPerS: number; backend: string; stepper: string; stepperReason: string | null }> {
  const config: TrainConfig = {
    optimizer: 'adam', learningRate: 1e-3, momentum: 0.9, schedule: { kind: 'none' }, batchSize: net.batch, epochs: 1,
    loss: net.loss, earlyStopping: null, seed: 1, backend: (process.env.NW_BENCH_BACKEND as TrainConfig['backend']) ?? 'auto', keepCheckpoints: 1,
  }
  const started = await core.call('runs.start', { ...ids, config })
  if (!started.ok) throw new Error(started.message)
  const runId = (started.value as RunSummary).id
  await core.engine.idle()
  const got = await core.call('runs.get', { runId })
  if (!got.ok) throw new Error(got.message)
  const run = got.value as RunSummary
  if (run.state !== 'completed') throw new Error(`${net.template}: run ended ${run.state}: ${run.error ?? ''}`)
  const walls = (core.db.prepare(`SELECT wall_time AS w FROM metrics WHERE run_id = ? AND name = 'batch_loss' ORDER BY step`).all(runId) as { w: number }[]).map((m) => m.w)
  // Steps 3..N-1: after torch-like warm-up, and without a possibly partial last batch.
  const from = 1
  const to = walls.length - 2
  if (process.env.NW_BENCH_STEP_TIMES === '1') console.error('step ms', walls.slice(1).map((w, i) => Math.round((w - (walls[i] as number)) * 1000)).join(' '))
  if (to <= from) throw new Error(`${net.template}: too few steps (${walls.length}) to time`)
  return { samplesPerS: ((to - from) * net.batch) / ((walls[to] as number) - (walls[from] as number)), backend: run.backend ?? '?', stepper: stepperName(run), stepperReason: run.stepper?.reason ?? null }
}

/** One run of the PyTorch twin: samples/s, or why it could not run. */
function torchRun(net: Network, threads: number): { samplesPerS: number; version: string } | { error: string } {
  const r = runTorchScript(TORCH_SCRIPT, ['--net', net.template, '--n', String(net.samples), '--threads', String(threads)], 'samples_per_s')
  return 'error' in r ? r : { samplesPerS: r.perSecond, version: r.version }
}



/** Every network (or `only`), `rounds` alternated pairs each; one `train_<template>` line per network. */
export async function benchTrainNetworks(opts: { only?: string[]; rounds?: number } = {}): Promise<BenchLine[]> {
  const rounds = opts.rounds ?? 2
  // A name that matches no network would otherwise print nothing at all.
  const unknown = (opts.only ?? []).filter((n) => !NETWORKS.some((net) => n === net.template || n === `train_${net.template}`))
  if (unknown.length) throw new Error(`--only: no network named ${unknown.join(', ')} (known: ${NETWORKS.map((n) => n.template).join(', ')}; the train_ prefix is optional)`)
  // NW_FUSED_RNN=0: tfjs-layers' per-step recurrent layers, to measure what the fused ones gain.
  setFusedRecurrentEnabled(process.env.NW_FUSED_RNN !== '0')
  const dir = mkdtempSync(join(tmpdir(), 'nw-bench-train-'))
  const core = createCore({ dataDir: dir, transport: 'browser', appVersion: 'bench', spawnTrainer: inProcessTrainer })
  const lines: BenchLine[] = []
  try {
    for (const net of NETWORKS) {
      if (opts.only && !opts.only.includes(net.template) && !opts.only.includes(`train_${net.template}`)) continue
      const saved = await core.call('models.save', { name: net.template, graph: buildTemplate(net.template) })
      if (!saved.ok) throw new Error(saved.message)
      // Rows for one timed run plus the test split.
      const datasetVersionId = await net.data(core, dir, Math.ceil(net.samples / 0.97) + 1)
      const ids = { modelVersionId: (saved.value as ModelDetail).versionId, datasetVersionId }
      const pairs: { ours: number; reference: number | null; ratio: number | null; reference_1thread?: number; ours_stock_recurrent?: number; ours_1thread?: number; ours_2threads?: number; ours_stock_stepper?: number }[] = []
      let backend = '?'
      let stepper = '?'
      let stepperReason: string | null = null
      let refName = 'pytorch'
      for (let i = 0; i < rounds; i++) {
        const mine = await oursRun(core, net, ids)
        backend = mine.backend
        stepper = mine.stepper
        stepperReason = mine.stepperReason
        // The other way of stepping, for what data-parallel gains here: one thread when the app
        // chose data-parallel, else two data-parallel threads forced (when the batch splits).
        const other = mine.stepper.startsWith('data-parallel') ? await oursRun(core, net, ids, '1') : net.batch >= 16 && !mine.stepper.startsWith('dense-stack') ? await oursRun(core, net, ids, '2') : null
        const ref = torchRun(net, 2)
        if ('error' in ref) {
          refName = `pytorch unavailable: ${ref.error}`
          pairs.push({ ours: round(mine.samplesPerS), reference: null, ratio: null })
        } else {
          refName = `pytorch ${ref.version} + openblas, 2 threads`
          pairs.push({ ours: round(mine.samplesPerS), reference: ref.samplesPerS, ratio: round(mine.samplesPerS / ref.samplesPerS, 3) })
          // One torch thread as well: on a loaded machine two OpenMP threads can lose more to waiting than they gain.
          const one = torchRun(net, 1)
          if (!('error' in one)) (pairs[pairs.length - 1] as (typeof pairs)[number]).reference_1thread = one.samplesPerS
        }
        // A fused stepper's gain over tfjs-layers' trainOnBatch, in the same process and round.
        if (mine.stepper.startsWith('dense-stack')) {
          setDenseStackEnabled(false)
          try {
            ;(pairs[pairs.length - 1] as (typeof pairs)[number]).ours_stock_stepper = round((await oursRun(core, net, ids)).samplesPerS)
          } finally {
            setDenseStackEnabled(true)
          }
        }
        if (other) {
          const last = pairs[pairs.length - 1] as (typeof pairs)[number]
          if (other.stepper.startsWith('data-parallel')) Object.assign(last, { ours_1thread: round(mine.samplesPerS), ours_2threads: round(other.samplesPerS) })
          else Object.assign(last, { ours_1thread: round(other.samplesPerS), ours_2threads: round(mine.samplesPerS) })
        }
        if (net.recurrent && process.env.NW_FUSED_RNN !== '0') {
          setFusedRecurrentEnabled(false)
          try {
            ;(pairs[pairs.length - 1] as (typeof pairs)[number]).ours_stock_recurrent = round((await oursRun(core, net, ids)).samplesPerS)
          } finally {
            setFusedRecurrentEnabled(true)
          }
        }
      }
      const ones = pairs.map((p) => p.reference_1thread).filter((r): r is number => r !== undefined)
      const stocks = pairs.map((p) => (p.ours_stock_recurrent ? p.ours / p.ours_stock_recurrent : undefined)).filter((r): r is number => r !== undefined)
      const dps = pairs.map((p) => (p.ours_1thread && p.ours_2threads ? p.ours_2threads / p.ours_1thread : undefined)).filter((r): r is number => r !== undefined)
      const stepperGains = pairs.map((p) => (p.ours_stock_stepper ? p.ours / p.ours_stock_stepper : undefined)).filter((r): r is number => r !== undefined)
      const ratios = pairs.map((p) => p.ratio).filter((r): r is number => r !== null)
      const refs = pairs.map((p) => p.reference).filter((r): r is number => r !== null)
      const line = {
        // train_mnist_cnn stays trainMnist.ts's line (bare trainOnBatch per backend); this one goes through the app.
        case: net.template === 'mnist_cnn' ? 'train_mnist_cnn_app' : `train_${net.template}`,
        ours: round(median(pairs.map((p) => p.ours))),
        reference: refs.length ? round(median(refs)) : null,
        unit: 'samples/s',
        ratio: ratios.length ? round(median(ratios), 3) : null,
        better: 'higher' as const,
        reference_name: refName,
        backend,
        // How the app's own choice stepped (e.g. "data-parallel x2"), and why.
        stepper,
        stepper_reason: stepperReason,
        ...(dps.length ? { data_parallel_speedup: round(median(dps), 2) } : {}),
        ...(stepperGains.length ? { stepper_speedup_vs_tfjs_layers: round(median(stepperGains), 2) } : {}),
        batch: net.batch,
        samples_per_run: net.samples,
        ...(ones.length ? { reference_1thread: round(median(ones)), ratio_1thread: round(median(pairs.filter((p) => p.reference_1thread).map((p) => p.ours / (p.reference_1thread as number))), 3) } : {}),
        ...(stocks.length ? { fused_recurrent_speedup: round(median(stocks), 2) } : {}),
        pairs,
      }
      console.error(JSON.stringify(line))
      lines.push(line)
    }
  } finally {
    await core.close()
  }
  return lines
}

if (require.main === module) {
  const arg = (name: string) => {
    const at = process.argv.indexOf(name)
    return at >= 0 ? process.argv[at + 1] : undefined
  }
  const only = arg('--only')?.split(',')
  const rounds = arg('--rounds')
  void benchTrainNetworks({ only, rounds: rounds ? Number(rounds) : undefined }).then((lines) => lines.forEach((l) => console.log(JSON.stringify(l))))
}
