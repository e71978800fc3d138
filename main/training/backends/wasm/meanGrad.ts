// NwMeanGrad: Mean's gradient for global average pooling (and reductions over all leading axes) as
// one wasm kernel (native nw_mean_grad: dy / count broadcast over the reduced axes) instead of
// tfjs's ones, Multiply and RealDiv, each a full pass over the input's size. Installed as Mean's
// gradient; on any other backend, dtype or reduction, the gradient is tfjs's own formula.
import { backend_util, div, engine, getBackend, getGradient, Mean, mul, ones, registerGradient, reshape, util, type GradConfig, type KernelConfig, type MeanAttrs, type NamedAttrMap, type Tensor, type TensorInfo } from '@tensorflow/tfjs'
import { offsetOf, type WasmBackend } from './heap'
import { fastPath } from './mean'
import { nativeKernels } from './native'

/** The kernel's registered name. */
export const NW_MEAN_GRAD = 'NwMeanGrad'

function meanGrad(args: { inputs: { dy: TensorInfo; x: TensorInfo }; backend: WasmBackend; attrs: { axes: number[] } }): TensorInfo {
  const { inputs, backend, attrs } = args
  const { x, dy } = inputs
  const path = fastPath(attrs.axes, x.shape.length)
  const size = util.sizeFromShape(x.shape)
  const outer = path === 'leading' ? 1 : (x.shape[0] as number)
  const cols = x.shape[x.shape.length - 1] as number
  const rows = size / (outer * cols)
  const dx = backend.makeOutput(x.shape, 'float32')
  nativeKernels(backend).nw_mean_grad(offsetOf(backend, dy), offsetOf(backend, dx), outer, rows, cols, rows)
  return dx
}

/** Kernel registration for NwMeanGrad on wasm. */
export const meanGradConfig: KernelConfig = { kernelName: NW_MEAN_GRAD, backendName: 'wasm', kernelFunc: meanGrad as unknown as KernelConfig['kernelFunc'] }

/** Mean's gradient: the fused kernel on wasm for float32 reductions nw_mean_grad takes, tfjs's formula (Mean_grad.js) otherwise. */
const meanGradient: GradConfig = {
  kernelName: Mean,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs: NamedAttrMap) => {
    const [x] = saved as Tensor[]
    const d = dy as Tensor
    const xt = x as Tensor
    const axes = util.parseAxisParam((attrs as unknown as MeanAttrs).axis, xt.shape)
    const fused = getBackend() === 'wasm' && d.dtype === 'float32' && xt.dtype === 'float32' && xt.size > 0 && fastPath(axes, xt.rank) !== null
    if (fused) return { x: () => engine().runKernel(NW_MEAN_GRAD, { dy: d, x: xt }, { axes } as unknown as NamedAttrMap) as Tensor }
    const reduceSize = util.sizeFromShape(backend_util.computeOutAndReduceShapes(xt.shape, axes)[1])
    return {
      x: () => {
        const expandedDyShape = xt.shape.slice()
        axes.forEach((axis) => { expandedDyShape[axis] = 1 })
        return div(mul(reshape(d, expandedDyShape), ones(xt.shape, 'float32')), reduceSize)
      },
    }
  },
}

/** Makes meanGradient Mean's gradient (once; later calls do nothing). */
export function installMeanGradient(): void {
  if (getGradient(Mean) !== meanGradient) registerGradient(meanGradient)
}
