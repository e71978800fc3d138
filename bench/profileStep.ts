// Per-kernel time of one training step of a starting network on the wasm backend (our kernels
// registered): `npx tsx bench/profileStep.ts cifar10_cnn [steps]`. Wraps every wasm kernel
// registered at start in a timer (wasm kernels are synchronous, so wall time is the kernel's), runs
// trainOnBatch like the fit loop and prints ms per step per kernel, sorted, with the step total
// (NW_PROFILE_SHAPES=1: per kernel and input shapes; NW_PROFILE_CPU=1: this process's CPU time
// instead of wall time, steadier than wall time when other programs load the machine). `[batch]`
// (third argument) defaults to 32, the batch trainNetworks.ts uses for the CNNs and the text model;
// int32 inputs (token ids) get ids below the Embedding's vocabulary, and the one-hot labels have as
// many classes as the model's output. NW_CPU_PROFILE=file.cpuprofile also records a V8 CPU profile
// of the timed steps (for the time spent outside kernels: tfjs-layers' bookkeeping, JavaScript loops).
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import * as tf from '@tensorflow/tfjs'
import { useWasmBackend } from '../main/training/backends/loadWasm'
import { buildModel, makeOptimizer } from '../main/training/buildModel'
import { buildTemplate, type TemplateName } from '../common/graph'
import type { TrainConfig } from '../common/contract'

/** Milliseconds on the clock the profile uses: wall, or this process's user + system CPU time. */
const now = process.env.NW_PROFILE_CPU === '1' ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 } : () => performance.now()

async function main(): Promise<void> {
  const name = (process.argv[2] ?? 'cifar10_cnn') as TemplateName
  const steps = Number(process.argv[3] ?? 10)
  await useWasmBackend()
  const times = new Map<string, { ms: number; calls: number }>()
  for (const k of tf.getKernelsForBackend('wasm')) {
    const inner = k.kernelFunc
    tf.unregisterKernel(k.kernelName, 'wasm')
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        const t0 = now()
        const out = inner(args)
        // NW_PROFILE_SHAPES=1: one row per kernel and input shapes.
        const key = process.env.NW_PROFILE_SHAPES === '1' ? `${k.kernelName} ${Object.values(args.inputs).map((t) => `[${t?.shape ?? ""}]`).join(' ')}` : k.kernelName
        const e = times.get(key) ?? { ms: 0, calls: 0 }
        e.ms += now() - t0
        e.calls++
        times.set(key, e)
        return out
      },
    })
  }
  const model = await buildModel(tf, buildTemplate(name), 1)
  const config = { optimizer: 'adam', learningRate: 1e-3, momentum: 0.9 } as TrainConfig
  model.compile({ optimizer: makeOptimizer(tf, config), loss: 'categoricalCrossentropy', metrics: ['accuracy'] })
  const inShape = model.inputs[0]!.shape.slice(1) as number[]
  const batch = Number(process.argv[4] ?? 32)
  const classes = model.outputs[0]!.shape[1] as number
  const graph = buildTemplate(name)
  const vocab = graph.nodes.find((n) => n.type === 'Embedding')?.params.inputDim as number | undefined
  // Token ids for an int32 input (as the fit loop feeds a text dataset), uniform noise otherwise.
  const x = model.inputs[0]!.dtype === 'int32' ? tf.randomUniform([batch, ...inShape], 0, vocab ?? 2, 'int32') : tf.randomUniform([batch, ...inShape])
  const y = tf.oneHot(tf.randomUniform([batch], 0, classes, 'int32') as tf.Tensor1D, classes)
  for (let i = 0; i < 2; i++) await model.trainOnBatch(x, y)
  times.clear()
  const cpuProfile = process.env.NW_CPU_PROFILE
  const session = cpuProfile ? new Session() : null
  if (session) {
    session.connect()
    await session.post('Profiler.enable')
    await session.post('Profiler.start')
  }
  const t0 = now()
  for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y)
  const total = (now() - t0) / steps
  if (session && cpuProfile) {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(cpuProfile, JSON.stringify(profile))
    session.disconnect()
  }
  const rows = [...times.entries()].map(([k, v]) => ({ kernel: k, msPerStep: +(v.ms / steps).toFixed(2), callsPerStep: v.calls / steps })).sort((a, b) => b.msPerStep - a.msPerStep)
  const inKernels = rows.reduce((s, r) => s + r.msPerStep, 0)
  console.log(`${name}: ${total.toFixed(1)} ${process.env.NW_PROFILE_CPU === '1' ? 'CPU ' : ''}ms/step (${((batch * 1000) / total).toFixed(0)} samples/s), ${inKernels.toFixed(1)} ms in kernels`)
  for (const r of rows) if (r.msPerStep >= 0.05) console.log(`  ${r.kernel.padEnd(process.env.NW_PROFILE_SHAPES === '1' ? 70 : 28)} ${String(r.msPerStep).padStart(8)} ms  x${r.callsPerStep}`)
}

void main()
