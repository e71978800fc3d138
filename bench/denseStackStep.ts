// Milliseconds per step of the fused dense stepper on the wasm backend (our kernels registered), on a
// starting network's own graph with random data: `npx tsx bench/denseStackStep.ts [spam_mlp] [steps] [batch]`.
// Prints the median of 5 timed blocks, each after the first warm-up block, to compare kernel changes.
import * as tf from '@tensorflow/tfjs'
import { buildTemplate, type TemplateName } from '../common/graph'
import type { TrainConfig } from '../common/contract'
import { seededRandom } from '../common/datasets/prng'
import { useWasmBackend } from '../main/training/backends/loadWasm'
import { denseStackStepper } from '../main/training/backends/denseStack/denseStackStepper'
import { buildModel, compileModel } from '../main/training/buildModel'

async function main(): Promise<void> {
  const name = (process.argv[2] ?? 'spam_mlp') as TemplateName
  const steps = Number(process.argv[3] ?? 200)
  const size = Number(process.argv[4] ?? 64)
  await useWasmBackend()
  const config: TrainConfig = { optimizer: 'adam', learningRate: 0.001, momentum: 0.9, schedule: { kind: 'none' }, batchSize: size, epochs: 1, loss: 'binaryCrossentropy', earlyStopping: null, seed: 7, backend: 'wasm', keepCheckpoints: 1 }
  const model = await buildModel(tf, buildTemplate(name), config.seed)
  const optimizer = compileModel(tf, model, config)
  const stepper = await denseStackStepper({ tf, model, optimizer, config, classes: 2 })
  if (!stepper) throw new Error(`${name}: the fused dense stepper does not take this network`)
  const inputs = (model.inputs[0]!.shape as number[])[1]!
  const r = seededRandom(1)
  const batch = { n: size, shape: [inputs], x: Float32Array.from({ length: size * inputs }, () => r() * 4 - 2), labels: Int32Array.from({ length: size }, () => (r() < 0.4 ? 1 : 0)), rowIndex: new Uint32Array(size) }
  const blocks: number[] = []
  for (let b = 0; b < 6; b++) {
    const t0 = performance.now()
    for (let s = 0; s < steps; s++) await stepper.step(batch)
    if (b > 0) blocks.push((performance.now() - t0) / steps)
  }
  blocks.sort((p, q) => p - q)
  console.log(JSON.stringify({ case: `dense_stack_step_${name}`, batch: size, stepper: stepper.label, ms_per_step: Number(blocks[2]!.toFixed(3)), blocks: blocks.map((v) => Number(v.toFixed(3))) }))
  await stepper.dispose()
}

void main()
