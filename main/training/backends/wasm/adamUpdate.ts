// NwAdamUpdate: a wasm-only kernel doing a whole Adam step for one variable in one SIMD pass
// (native nw_adam) instead of the ~12 separate elementwise kernels tfjs's AdamOptimizer runs,
// each allocating a full-size temporary. Same float32 rounding per operation, so results match.
import { type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs'
import { offsetOf, type WasmBackend } from './heap'
import { nativeKernels } from './native'

/** The kernel's registered name. */
export const NW_ADAM_UPDATE = 'NwAdamUpdate'

/** Attributes of NwAdamUpdate: Adam's constants for this step, as the float32 values tfjs would use. */
export interface AdamUpdateAttrs extends NamedAttrMap {
  beta1: number
  beta2: number
  epsilon: number
  learningRate: number
  /** 1 - beta1^t and 1 - beta2^t as float32 (tfjs computes them from its accBeta variables). */
  oneMinusAccBeta1: number
  oneMinusAccBeta2: number
}

function adamUpdate(args: { inputs: { value: TensorInfo; m: TensorInfo; v: TensorInfo; grad: TensorInfo }; backend: WasmBackend; attrs: AdamUpdateAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args
  const { value, m, v, grad } = inputs
  const outValue = backend.makeOutput(value.shape, 'float32')
  const outM = backend.makeOutput(value.shape, 'float32')
  const outV = backend.makeOutput(value.shape, 'float32')
  const n = value.shape.reduce((a, b) => a * b, 1)
  // Float32 of (1 - beta) computed in double, exactly the scalar tensor tfjs builds from `1 - beta1`.
  nativeKernels(backend).nw_adam(
    offsetOf(backend, value), offsetOf(backend, m), offsetOf(backend, v), offsetOf(backend, grad),
    offsetOf(backend, outValue), offsetOf(backend, outM), offsetOf(backend, outV), n,
    attrs.beta1, 1 - attrs.beta1, attrs.beta2, 1 - attrs.beta2, attrs.oneMinusAccBeta1, attrs.oneMinusAccBeta2,
    attrs.epsilon, -attrs.learningRate,
  )
  return [outValue, outM, outV]
}

/** Kernel registration for NwAdamUpdate on wasm. */
export const adamUpdateConfig: KernelConfig = { kernelName: NW_ADAM_UPDATE, backendName: 'wasm', kernelFunc: adamUpdate as unknown as KernelConfig['kernelFunc'] }
