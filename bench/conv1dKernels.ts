// The text template's Conv1D (x [32, 200, 64], k7 -> 32) forward, filter gradient and input gradient
// on wasm: the direct path (conv1d.ts) against the general conv kernels (im2col + gemm, XNNPACK),
// alternated in one process, in CPU milliseconds per call (steadier than wall time on a busy machine).
// `npx tsx bench/conv1dKernels.ts`.
import * as tf from '@tensorflow/tfjs'
import { useWasmBackend } from '../main/training/backends/loadWasm'
import { setConv1dEnabled } from '../main/training/backends/wasm/conv1d'
async function main() {
  await useWasmBackend()
  const x = tf.randomNormal([32, 1, 200, 64]) as tf.Tensor4D
  const f = tf.randomNormal([1, 7, 64, 32]) as tf.Tensor4D
  const dy = tf.randomNormal([32, 1, 194, 32]) as tf.Tensor4D
  const ops: Record<string, () => tf.Tensor> = {
    fwd: () => tf.conv2d(x, f, 1, 'valid'),
    dW: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [1, 7, 64, 32] }) as tf.Tensor,
    dX: () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: f }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: [32, 1, 200, 64] }) as tf.Tensor,
  }
  const res: Record<string, number[]> = {}
  for (let round = 0; round < 6; round++) for (const on of [false, true]) {
    setConv1dEnabled(on)
    for (const [k, op] of Object.entries(ops)) {
      op().dispose()
      const c0 = process.cpuUsage()
      for (let i = 0; i < 10; i++) op().dispose()
      const cpu = process.cpuUsage(c0).user / 10000
      const key = `${k} ${on ? 'new' : 'old'}`
      ;(res[key] ??= []).push(cpu)
    }
  }
  for (const [k, v] of Object.entries(res)) {
    v.sort((a, b) => a - b)
    console.log(k.padEnd(10), 'cpu ms min', v[0]!.toFixed(2), 'median', v[3]!.toFixed(2))
  }
}
void main()
