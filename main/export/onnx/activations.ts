// tfjs-layers activations as ONNX ops, each written as tfjs-layers 4.22 computes it.
import type { OnnxBuilder } from './builder'

/** Applies a tfjs activation (by its catalog name) to `x`; returns the output name, or null for an unknown name. */
export function applyActivation(b: OnnxBuilder, act: string, x: string, base: string): string | null {
  switch (act) {
    case 'linear':
      return x
    case 'relu':
      return b.op1('Relu', [x], {}, base)
    case 'relu6':
      return b.op1('Clip', [x, b.floats(`${base}/zero`, [], [0]), b.floats(`${base}/six`, [], [6])], {}, base)
    case 'elu':
      return b.op1('Elu', [x], { alpha: { float: 1 } }, base)
    case 'selu':
      // Same constants as tf.selu (ONNX's defaults, spelled out).
      return b.op1('Selu', [x], { alpha: { float: 1.6732632423543772 }, gamma: { float: 1.0507009873554805 } }, base)
    case 'sigmoid':
      return b.op1('Sigmoid', [x], {}, base)
    case 'hardSigmoid':
      // tfjs-layers: clip(0.2 * x + 0.5, 0, 1)
      return b.op1('HardSigmoid', [x], { alpha: { float: 0.2 }, beta: { float: 0.5 } }, base)
    case 'tanh':
      return b.op1('Tanh', [x], {}, base)
    case 'softmax':
      // tfjs-layers applies softmax over the last axis; opset 13 Softmax works on exactly one axis.
      return b.op1('Softmax', [x], { axis: -1 }, base)
    case 'softplus':
      return b.op1('Softplus', [x], {}, base)
    case 'softsign':
      return b.op1('Softsign', [x], {}, base)
    case 'gelu': {
      // tfjs-layers 'gelu' is the exact form: x * 0.5 * (1 + erf(x / sqrt(2))).
      const e = b.op1('Erf', [b.op1('Div', [x, b.floats(`${base}/sqrt2`, [], [Math.SQRT2])], {}, base)], {}, base)
      const cdf = b.op1('Mul', [b.op1('Add', [e, b.floats(`${base}/one`, [], [1])], {}, base), b.floats(`${base}/half`, [], [0.5])], {}, base)
      return b.op1('Mul', [x, cdf], {}, base)
    }
    case 'swish':
      return b.op1('Mul', [x, b.op1('Sigmoid', [x], {}, base)], {}, base)
    case 'mish':
      return b.op1('Mul', [x, b.op1('Tanh', [b.op1('Softplus', [x], {}, base)], {}, base)], {}, base)
    default:
      return null
  }
}

/** The ONNX recurrent-op activation (name, alpha, beta) for a tfjs activation, or null where the recurrent ops have none. */
export function recurrentActivation(act: string): { name: string; alpha: number; beta: number } | null {
  switch (act) {
    case 'tanh':
      return { name: 'Tanh', alpha: 0, beta: 0 }
    case 'sigmoid':
      return { name: 'Sigmoid', alpha: 0, beta: 0 }
    case 'relu':
      return { name: 'Relu', alpha: 0, beta: 0 }
    case 'hardSigmoid':
      return { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 }
    case 'softsign':
      return { name: 'Softsign', alpha: 0, beta: 0 }
    case 'softplus':
      return { name: 'Softplus', alpha: 0, beta: 0 }
    case 'elu':
      return { name: 'Elu', alpha: 1, beta: 0 }
    case 'linear':
      return { name: 'Affine', alpha: 1, beta: 0 }
    default:
      return null
  }
}
