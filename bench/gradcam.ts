// Benchmark `gradcam_28x28`: milliseconds per Grad-CAM heatmap (default layer, predicted class) of
// the MNIST CNN template on one 28x28 image, on the wasm backend the app runs on. The reference is
// issue #15's goal (50 ms), so ratio < 1 meets it. Standalone: `npx tsx bench/gradcam.ts`.
import * as tf from '@tensorflow/tfjs'
import { gradCam } from '../main/explain/gradCam'
import { buildTemplate } from '../common/graph'
import { useWasmBackend } from '../main/training/backends/loadWasm'
import { buildModel } from '../main/training/buildModel'
import type { BenchLine } from './run'

const SAMPLES = 40
const GOAL_MS = 50

/** Times SAMPLES heatmaps of different random images after a warm-up. */
export async function benchGradCam(): Promise<BenchLine & { samples: number; backend: string }> {
  await useWasmBackend()
  const model = await buildModel(tf, buildTemplate('mnist_cnn'), 1)
  let s = 1
  const image = () => Float32Array.from({ length: 784 }, () => ((s = (s * 16807) % 2147483647) / 2147483647))
  for (let i = 0; i < 3; i++) gradCam(tf, model, image(), [28, 28, 1], i % 10)
  const images = Array.from({ length: SAMPLES }, image)
  const t0 = performance.now()
  images.forEach((x, i) => gradCam(tf, model, x, [28, 28, 1], i % 10))
  const ms = (performance.now() - t0) / SAMPLES
  model.dispose()
  return { case: 'gradcam_28x28', ours: ms, reference: GOAL_MS, unit: 'ms', ratio: ms / GOAL_MS, better: 'lower', reference_name: 'issue #15 goal (50 ms)', samples: SAMPLES, backend: tf.getBackend() }
}

if (require.main === module) void benchGradCam().then((l) => console.log(JSON.stringify(l)))
