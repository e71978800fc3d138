// Benchmark `train_mnist_cnn`: training throughput (images/s) of the MNIST CNN template on each
// backend we can run, against PyTorch on the same synthetic data (../shared/bench/torch_reference.py),
// measured in the same run and alternated (ours, torch, ours, torch) so machine noise hits both.
// Standalone: `npx tsx bench/trainMnist.ts` prints one JSON line per backend, then the best one.
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { buildTemplate, toTfjs } from '../common/graph'
import { fusedAdam } from '../main/training/backends/fusedAdam'
import { useWasmBackend } from '../main/training/backends/loadWasm'
import { DataParallelTrainer } from '../main/training/backends/parallel/trainer'
import { median, round } from './stats'
import { runTorchScript } from './torchRun'

/** One result line in the shared bench format (see ../shared/bench/README.md); reference is null without torch. */
export interface TrainBenchLine {
  case: string
  ours: number
  reference: number | null
  unit: 'images/s'
  ratio: number | null
  better: 'higher'
  reference_name: string
  [extra: string]: unknown
}

const BATCH = 64
const TORCH_SCRIPT = join(__dirname, '..', '..', 'shared', 'bench', 'torch_reference.py')

/** The ways we train, slowest first; images per timed run keep each run a few seconds. */
const OURS: { name: string; images: number; run: (data: Data, images: number) => Promise<number> }[] = [
  { name: 'cpu', images: 128, run: (d, n) => trainLayers('cpu', d, n) },
  { name: 'wasm', images: 3200, run: (d, n) => trainLayers('wasm', d, n) },
  { name: 'wasm_2workers', images: 6400, run: (d, n) => trainDataParallel(d, n, 2) },
]

/** Synthetic data like torch_reference.py: uniform noise images, labels from a fixed random linear teacher. */
interface Data {
  x: Float32Array
  y: Float32Array
  n: number
}

function mulberry32(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = Math.imul(s ^ (s >>> 15), s | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function syntheticData(n: number): Data {
  const r = mulberry32(0)
  const x = Float32Array.from({ length: n * 784 }, r)
  // Standard normal teacher weights (Box-Muller).
  const teacher = Float32Array.from({ length: 784 * 10 }, () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()))
  const y = new Float32Array(n * 10)
  for (let i = 0; i < n; i++) {
    let best = 0
    let bestScore = Number.NEGATIVE_INFINITY
    for (let c = 0; c < 10; c++) {
      let s = 0
      for (let k = 0; k < 784; k++) s += (x[i * 784 + k] as number) * (teacher[k * 10 + c] as number)
      if (s > bestScore) [best, bestScore] = [c, s]
    }
    y[i * 10 + best] = 1
  }
  return { x, y, n }
}

/** Batches of a random permutation of the data (the last partial batch is dropped, as torch's loop keeps it small). */
function* batches(d: Data, images: number, seed: number): Generator<{ x: Float32Array; y: Float32Array }> {
  const r = mulberry32(seed)
  const order = Array.from({ length: d.n }, (_, i) => i)
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1))
    ;[order[i], order[j]] = [order[j] as number, order[i] as number]
  }
  for (let start = 0; start + BATCH <= images; start += BATCH) {
    const x = new Float32Array(BATCH * 784)
    const y = new Float32Array(BATCH * 10)
    for (let b = 0; b < BATCH; b++) {
      const row = order[(start + b) % d.n] as number
      x.set(d.x.subarray(row * 784, row * 784 + 784), b * 784)
      y.set(d.y.subarray(row * 10, row * 10 + 10), b * 10)
    }
    yield { x, y }
  }
}

async function buildMnistModel(): Promise<tf.LayersModel> {
  const model = (await tf.models.modelFromJSON(toTfjs(buildTemplate('mnist_cnn')) as never)) as tf.LayersModel
  // fusedAdam is tf.train.adam with a one-kernel step on wasm (stock Adam on other backends).
  model.compile({ optimizer: fusedAdam(1e-3), loss: 'categoricalCrossentropy' })
  return model
}

async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  if (name === 'wasm') await useWasmBackend()
  else await tf.setBackend('cpu')
}

/** model.trainOnBatch on one backend, the way the training engine trains; returns images/s. */
async function trainLayers(backend: 'cpu' | 'wasm', d: Data, images: number): Promise<number> {
  await useBackend(backend)
  const model = await buildMnistModel()
  const step = async (b: { x: Float32Array; y: Float32Array }) => {
    const xs = tf.tensor4d(b.x, [BATCH, 28, 28, 1])
    const ys = tf.tensor2d(b.y, [BATCH, 10])
    await model.trainOnBatch(xs, ys)
    tf.dispose([xs, ys])
  }
  for (const b of batches(d, 2 * BATCH, 1)) await step(b) // warm-up, not timed (as torch_reference.py)
  const t0 = performance.now()
  let done = 0
  for (const b of batches(d, images, 2)) {
    await step(b)
    done += BATCH
  }
  const seconds = (performance.now() - t0) / 1000
  model.dispose()
  return done / seconds
}

/** Data-parallel wasm replicas (this thread + helpers), gradients averaged each step; returns images/s. */
async function trainDataParallel(d: Data, images: number, replicas: number): Promise<number> {
  await useWasmBackend()
  const model = await buildMnistModel()
  const spec = {
    modelJson: model.toJSON(null, false),
    weights: model.getWeights().map((w) => ({ values: Float32Array.from(w.dataSync()), shape: w.shape })),
    training: { optimizer: 'adam' as const, learningRate: 1e-3, momentum: 0.9, loss: 'categoricalCrossentropy' as const },
  }
  model.dispose()
  const trainer = await DataParallelTrainer.create(spec, { replicas })
  try {
    for (const b of batches(d, 2 * BATCH, 1)) trainer.trainBatch(b.x, [BATCH, 28, 28, 1], b.y, [BATCH, 10])
    const t0 = performance.now()
    let done = 0
    for (const b of batches(d, images, 2)) {
      trainer.trainBatch(b.x, [BATCH, 28, 28, 1], b.y, [BATCH, 10])
      done += BATCH
    }
    return done / ((performance.now() - t0) / 1000)
  } finally {
    await trainer.dispose()
  }
}

/** One run of the PyTorch reference: images/s and its version, or why it cannot run. */
function torchRun(n: number): { imagesPerS: number; version: string } | { error: string } {
  const r = runTorchScript(TORCH_SCRIPT, ['--n', String(n), '--threads', '2'], 'images_per_s')
  return 'error' in r ? r : { imagesPerS: r.perSecond, version: r.version }
}



/**
 * Runs every backend against torch, alternating (ours, torch, ours, torch) per backend; returns a
 * `train_mnist_cnn_<backend>` line each and a `train_mnist_cnn` line for the fastest.
 */
export async function benchTrainMnist(opts: { rounds?: number; torchImages?: number } = {}): Promise<TrainBenchLine[]> {
  const rounds = opts.rounds ?? 2
  const torchImages = opts.torchImages ?? 6400
  const data = syntheticData(Math.max(...OURS.map((o) => o.images)))
  const lines: TrainBenchLine[] = []
  let torchMissing: string | null = null
  let torchVersion = '?'
  for (const ours of OURS) {
    const pairs: { ours: number; reference: number | null; ratio: number | null }[] = []
    for (let i = 0; i < rounds; i++) {
      const mine = await ours.run(data, ours.images)
      const ref: ReturnType<typeof torchRun> = torchMissing ? { error: torchMissing } : torchRun(torchImages)
      if ('error' in ref) {
        if (!torchMissing) console.error(`train_mnist_cnn: no PyTorch reference: ${ref.error}`)
        torchMissing = ref.error
        pairs.push({ ours: round(mine), reference: null, ratio: null })
      } else {
        torchVersion = ref.version
        pairs.push({ ours: round(mine), reference: ref.imagesPerS, ratio: round(mine / ref.imagesPerS, 3) })
      }
    }
    const ratios = pairs.map((p) => p.ratio).filter((r): r is number => r !== null)
    const refs = pairs.map((p) => p.reference).filter((r): r is number => r !== null)
    lines.push({
      case: `train_mnist_cnn_${ours.name}`,
      ours: round(median(pairs.map((p) => p.ours))),
      reference: refs.length ? round(median(refs)) : null,
      unit: 'images/s',
      ratio: ratios.length ? round(median(ratios), 3) : null,
      better: 'higher',
      reference_name: `pytorch ${torchVersion} + openblas, 2 threads`,
      backend: ours.name,
      images_per_run: ours.images,
      pairs,
      ratio_median: ratios.length ? round(median(ratios), 3) : null,
    })
  }
  for (const l of lines) l.reference_name = torchMissing ? `pytorch unavailable: ${torchMissing}` : `pytorch ${torchVersion} + openblas, 2 threads`
  const best = lines.reduce((a, b) => (b.ours > a.ours ? b : a))
  lines.push({ ...best, case: 'train_mnist_cnn' })
  return lines
}

// Run as a script (tsx bench/trainMnist.ts) → print the JSON lines.
if (typeof process !== 'undefined' && /trainMnist\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  benchTrainMnist().then(
    (lines) => {
      for (const l of lines) console.log(JSON.stringify(l))
    },
    (e: unknown) => {
      console.error(e)
      process.exitCode = 1
    },
  )
}
