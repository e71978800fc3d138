// NwReluGrad: the Relu gradient dy * step(x) as one wasm kernel (native nw_relu_grad) instead of
// tfjs's Step, Cast and Multiply, each a full pass writing a full-size temporary. Installed as
// Relu's gradient; on any other backend, or for other dtypes, the gradient is tfjs's own.
import { cast, engine, getBackend, getGradient, mul, registerGradient, Relu, step, util, type GradConfig, type KernelConfig, type Tensor, type TensorInfo } from '@tensorflow/tfjs'
import { offsetOf, type WasmBackend } from './heap'
import { nativeKernels } from './native'

/** The kernel's registered name. */
export const NW_RELU_GRAD = 'NwReluGrad'

function reluGrad(args: { inputs: { dy: TensorInfo; x: TensorInfo }; backend: WasmBackend }): TensorInfo {
  const { inputs, backend } = args
  const out = backend.makeOutput(inputs.x.shape, 'float32')
  nativeKernels(backend).nw_relu_grad(offsetOf(backend, inputs.dy), offsetOf(backend, inputs.x), offsetOf(backend, out), util.sizeFromShape(inputs.x.shape))
  return out
}

/** Kernel registration for NwReluGrad on wasm. */
export const reluGradConfig: KernelConfig = { kernelName: NW_RELU_GRAD, backendName: 'wasm', kernelFunc: reluGrad as unknown as KernelConfig['kernelFunc'] }

/** Relu's gradient: the fused kernel on wasm for float32 tensors of one shape, tfjs's formula otherwise. */
const reluGradient: GradConfig = {
  kernelName: Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as Tensor[]
    const d = dy as Tensor
    const fused = getBackend() === 'wasm' && x !== undefined && d.dtype === 'float32' && x.dtype === 'float32' && util.arraysEqual(d.shape, x.shape)
    return { x: () => (fused ? (engine().runKernel(NW_RELU_GRAD, { dy: d, x: x as Tensor }) as Tensor) : mul(d, cast(step(x as Tensor), 'float32'))) }
  },
}

/** Makes reluGradient Relu's gradient (once; later calls do nothing). */
export function installReluGradient(): void {
  if (getGradient(Relu) !== reluGradient) registerGradient(reluGradient)
}
