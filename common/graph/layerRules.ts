// Per-layer shape, parameter-count and MAC rules, matching tfjs-layers 4.22 semantics.
// Called once per node by inferGraph with already-validated params (defaults filled in).
import type { IssueCode } from './issues'
import type { LayerType, Shape } from './types'

/** What one layer contributes; outputShape is null when the layer can't be built. */
export interface LayerResult {
  outputShape: Shape | null
  trainable: number
  nonTrainable: number
  /** Multiply-adds per sample; unknown (null) dims count as 1. */
  macs: number
}

/** Callback used by the rules to report a problem on the current node. */
export type Report = (code: IssueCode, message: string, fix?: string, field?: string) => void

type Params = Record<string, unknown>

const FAIL: LayerResult = { outputShape: null, trainable: 0, nonTrainable: 0, macs: 0 }

/** Product of dims, or null if any dim is unknown. */
export function shapeSize(shape: Shape): number | null {
  let n = 1
  for (const d of shape) {
    if (d === null) return null
    n *= d
  }
  return n
}

/** Product of dims with unknown dims counted as 1 (for MAC estimates). */
function sizeOr1(shape: Shape): number {
  let n = 1
  for (const d of shape) n *= d ?? 1
  return n
}

/** Formats a shape as "[28, 28, 1]" with "?" for unknown dims. */
export function formatShape(shape: Shape): string {
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`
}

/** Output length of a conv/pool window along one axis (tfjs convOutputLength). */
function convLength(len: number | null, k: number, pad: string, stride: number, dilation = 1): number | null {
  if (len === null) return null
  const eff = k + (k - 1) * (dilation - 1)
  const out = pad === 'same' ? len : len - eff + 1
  return Math.floor((out + stride - 1) / stride)
}

/** Output length of a transposed conv along one axis (tfjs deconvLength). */
function deconvLength(len: number | null, k: number, pad: string, stride: number): number | null {
  if (len === null) return null
  return pad === 'valid' ? len * stride + Math.max(k - stride, 0) : len * stride
}

const num = (p: Params, k: string): number => p[k] as number
const pair = (p: Params, k: string): [number, number] => {
  const v = p[k] as number[]
  return [v[0] as number, v[1] as number]
}

const RANK_FIX_2D: Record<number, string> = {
  1: 'Reshape to [height, width, channels] (e.g. [28, 28, 1]), or use Dense for tabular data',
  2: 'Reshape to [height, width, 1], or use Conv1D for sequences',
}
const RANK_FIX_1D: Record<number, string> = {
  1: 'Reshape to [steps, 1], or add an Embedding for token ids',
  3: 'use the 2-D version of this layer for images, or Reshape to [steps, channels]',
}
const RANK_FIX_RNN: Record<number, string> = {
  1: 'add an Embedding (token ids) or Reshape to [timesteps, features]',
  3: 'Reshape to [timesteps, features] first (e.g. Reshape [-1, channels])',
}

/** Requires a given rank; reports `code` otherwise. */
function needRank(x: Shape, rank: number, code: IssueCode, what: string, fixes: Record<number, string>, report: Report): boolean {
  if (x.length === rank) return true
  report(code, `${what}, but gets a ${x.length}-D input ${formatShape(x)}`, fixes[x.length] ?? `Reshape the input to rank ${rank}`)
  return false
}

/** Requires a known dimension (e.g. channels); reports E016 otherwise. */
function needKnown(d: number | null, what: string, report: Report): d is number {
  if (d !== null) return true
  report('E016', `The ${what} must be known, but it is variable`, 'give the Input a fixed size for this dimension')
  return false
}

/** Reports E011 when any spatial output dim is ≤ 0. */
function checkPositive(out: Shape, inp: Shape, window: string, pad: string, report: Report): boolean {
  if (out.every((d) => d === null || d > 0)) return true
  report(
    'E011',
    `Output would be ${formatShape(out)}: window ${window} is larger than the input ${formatShape(inp)} with padding '${pad}'`,
    "use padding 'same', a smaller kernel/pool size, or fewer downsampling layers before this one",
  )
  return false
}

function rnnCounts(cell: string, units: number, features: number, useBias: boolean): { weights: number; macsPerStep: number } {
  const gates = cell === 'LSTM' ? 4 : cell === 'GRU' ? 3 : 1
  const perGate = units * (features + units)
  return { weights: gates * (perGate + (useBias ? units : 0)), macsPerStep: gates * perGate }
}

function conv2dFamily(type: LayerType, p: Params, x: Shape, report: Report): LayerResult {
  if (!needRank(x, 3, 'E008', `${type} needs an image [height, width, channels]`, RANK_FIX_2D, report)) return FAIL
  const cin = x[2] ?? null
  if (!needKnown(cin, 'channel count (last dimension)', report)) return FAIL
  const f = num(p, 'filters')
  const [kh, kw] = pair(p, 'kernelSize')
  const [sh, sw] = pair(p, 'strides')
  const pad = p.padding as string
  const bias = p.useBias === true ? f : 0
  const h = x[0] ?? null
  const w = x[1] ?? null
  if (type === 'Conv2DTranspose') {
    const out: Shape = [deconvLength(h, kh, pad, sh), deconvLength(w, kw, pad, sw), f]
    return { outputShape: out, trainable: kh * kw * f * cin + bias, nonTrainable: 0, macs: sizeOr1([h, w]) * kh * kw * cin * f }
  }
  const [dh, dw] = pair(p, 'dilationRate')
  const out: Shape = [convLength(h, kh, pad, sh, dh), convLength(w, kw, pad, sw, dw), f]
  if (!checkPositive(out, x, `${kh}x${kw}`, pad, report)) return FAIL
  const pixels = sizeOr1(out.slice(0, 2))
  if (type === 'SeparableConv2D') {
    const dm = num(p, 'depthMultiplier')
    const dwW = kh * kw * cin * dm
    const pwW = cin * dm * f
    return { outputShape: out, trainable: dwW + pwW + bias, nonTrainable: 0, macs: pixels * (dwW + pwW) }
  }
  const weights = kh * kw * cin * f
  return { outputShape: out, trainable: weights + bias, nonTrainable: 0, macs: pixels * weights }
}

function pool(type: LayerType, p: Params, x: Shape, report: Report): LayerResult {
  const pad = p.padding as string
  if (type === 'MaxPooling2D' || type === 'AveragePooling2D') {
    if (!needRank(x, 3, 'E008', `${type} needs an image [height, width, channels]`, RANK_FIX_2D, report)) return FAIL
    const [ph, pw] = pair(p, 'poolSize')
    const strides = p.strides === null ? [ph, pw] : pair(p, 'strides')
    const out: Shape = [convLength(x[0] ?? null, ph, pad, strides[0] as number), convLength(x[1] ?? null, pw, pad, strides[1] as number), x[2] ?? null]
    if (!checkPositive(out, x, `${ph}x${pw}`, pad, report)) return FAIL
    return { outputShape: out, trainable: 0, nonTrainable: 0, macs: 0 }
  }
  if (!needRank(x, 2, 'E009', `${type} needs a sequence [steps, channels]`, RANK_FIX_1D, report)) return FAIL
  const k = num(p, 'poolSize')
  const s = p.strides === null ? k : num(p, 'strides')
  const out: Shape = [convLength(x[0] ?? null, k, pad, s), x[1] ?? null]
  if (!checkPositive(out, x, String(k), pad, report)) return FAIL
  return { outputShape: out, trainable: 0, nonTrainable: 0, macs: 0 }
}

function recurrent(type: LayerType, p: Params, x: Shape, report: Report): LayerResult {
  if (!needRank(x, 2, 'E010', `${type} needs a sequence [timesteps, features]`, RANK_FIX_RNN, report)) return FAIL
  const features = x[1] ?? null
  if (!needKnown(features, 'feature count (last dimension)', report)) return FAIL
  const units = num(p, 'units')
  const cell = type === 'Bidirectional' ? (p.layer as string) : type
  const { weights, macsPerStep } = rnnCounts(cell, units, features, p.useBias === true)
  const steps = x[0] ?? null
  const dirs = type === 'Bidirectional' ? 2 : 1
  const outUnits = type === 'Bidirectional' && p.mergeMode === 'concat' ? 2 * units : units
  const out: Shape = p.returnSequences === true ? [steps, outUnits] : [outUnits]
  return { outputShape: out, trainable: dirs * weights, nonTrainable: 0, macs: dirs * (steps ?? 1) * macsPerStep }
}

function dense(p: Params, x: Shape, report: Report): LayerResult {
  if (x.length >= 3) {
    report(
      'E007',
      `Dense gets a ${x.length}-D input ${formatShape(x)}; it would only mix the last axis and keep the others`,
      'insert Flatten (or GlobalAveragePooling2D) before this layer',
    )
    return FAIL
  }
  if (x.length === 2) {
    report(
      'W002',
      `Dense gets a sequence ${formatShape(x)}; it is applied to each step separately`,
      'insert Flatten or GlobalAveragePooling1D first if you want one output per sample',
    )
  }
  const fin = x[x.length - 1] ?? null
  if (!needKnown(fin, 'input feature count (last dimension)', report)) return FAIL
  const units = num(p, 'units')
  const out: Shape = [...x.slice(0, -1), units]
  return {
    outputShape: out,
    trainable: fin * units + (p.useBias === true ? units : 0),
    nonTrainable: 0,
    macs: sizeOr1(x.slice(0, -1)) * fin * units,
  }
}

function reshape(p: Params, x: Shape, report: Report): LayerResult {
  const size = shapeSize(x)
  if (!needKnown(size, 'input size (all dimensions)', report)) return FAIL
  const target = p.targetShape as number[]
  let known = 1
  let inferAt = -1
  target.forEach((d, i) => {
    if (d === -1) inferAt = i
    else known *= d
  })
  const out: Shape = [...target]
  if (inferAt >= 0) {
    if (size % known !== 0) {
      report('E012', `Can't reshape ${size} values (${formatShape(x)}) into ${formatShape(target)}: ${size} is not divisible by ${known}`, undefined, 'targetShape')
      return FAIL
    }
    out[inferAt] = size / known
  } else if (known !== size) {
    report(
      'E012',
      `Can't reshape ${formatShape(x)} (${size} values) into ${formatShape(target)} (${known} values)`,
      'make the product of targetShape equal the input size, or use -1 for one dimension',
      'targetShape',
    )
    return FAIL
  }
  return { outputShape: out, trainable: 0, nonTrainable: 0, macs: 0 }
}

function sameShapes(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i])
}

function concatenate(p: Params, inputs: Shape[], report: Report): LayerResult {
  const first = inputs[0] as Shape
  const rank = first.length
  const axis = num(p, 'axis')
  const ax = axis < 0 ? rank + axis : axis - 1
  if (ax < 0 || ax >= rank) {
    report('E006', `axis ${axis} is out of range for ${rank}-D inputs ${formatShape(first)}`, 'use -1 to join along the last axis', 'axis')
    return FAIL
  }
  let sum: number | null = 0
  for (const s of inputs) {
    const ok = s.length === rank && s.every((d, i) => i === ax || d === first[i] || d === null || first[i] === null)
    if (!ok) {
      report(
        'E006',
        `Inputs ${inputs.map(formatShape).join(' and ')} must match in every dimension except axis ${axis}`,
        'make the inputs agree outside the join axis (e.g. same spatial size), or change axis',
      )
      return FAIL
    }
    const d = s[ax] ?? null
    sum = sum === null || d === null ? null : sum + d
  }
  const out = [...first]
  out[ax] = sum
  return { outputShape: out, trainable: 0, nonTrainable: 0, macs: 0 }
}

/** Shape/params/MACs of one layer given its (validated, defaults-filled) params and input shapes. */
export function inferLayer(type: LayerType, p: Params, inputs: Shape[], report: Report): LayerResult {
  const x = inputs[0] as Shape // every non-Input layer has ≥1 input here (arity checked by the caller)
  switch (type) {
    case 'Input':
      return { outputShape: [...(p.shape as Shape)], trainable: 0, nonTrainable: 0, macs: 0 }
    case 'Dense':
      return dense(p, x, report)
    case 'Conv2D':
    case 'SeparableConv2D':
    case 'Conv2DTranspose':
      return conv2dFamily(type, p, x, report)
    case 'Conv1D': {
      if (!needRank(x, 2, 'E009', 'Conv1D needs a sequence [steps, channels]', RANK_FIX_1D, report)) return FAIL
      const cin = x[1] ?? null
      if (!needKnown(cin, 'channel count (last dimension)', report)) return FAIL
      const f = num(p, 'filters')
      const k = num(p, 'kernelSize')
      const pad = p.padding as string
      const out: Shape = [convLength(x[0] ?? null, k, pad, num(p, 'strides'), num(p, 'dilationRate')), f]
      if (!checkPositive(out, x, String(k), pad, report)) return FAIL
      const weights = k * cin * f
      return { outputShape: out, trainable: weights + (p.useBias === true ? f : 0), nonTrainable: 0, macs: (out[0] ?? 1) * weights }
    }
    case 'MaxPooling1D':
    case 'MaxPooling2D':
    case 'AveragePooling1D':
    case 'AveragePooling2D':
      return pool(type, p, x, report)
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      if (!needRank(x, 3, 'E008', `${type} needs an image [height, width, channels]`, RANK_FIX_2D, report)) return FAIL
      return { outputShape: [x[2] ?? null], trainable: 0, nonTrainable: 0, macs: 0 }
    case 'GlobalAveragePooling1D':
    case 'GlobalMaxPooling1D':
      if (!needRank(x, 2, 'E009', `${type} needs a sequence [steps, channels]`, RANK_FIX_1D, report)) return FAIL
      return { outputShape: [x[1] ?? null], trainable: 0, nonTrainable: 0, macs: 0 }
    case 'Flatten': {
      if (x.length < 2) {
        report('E014', `Flatten gets ${formatShape(x)}, which is already flat (tfjs rejects it)`, 'remove this Flatten')
        return FAIL
      }
      const size = shapeSize(x)
      if (!needKnown(size, 'input size (all dimensions)', report)) return FAIL
      return { outputShape: [size], trainable: 0, nonTrainable: 0, macs: 0 }
    }
    case 'Reshape':
      return reshape(p, x, report)
    case 'Dropout':
    case 'Activation':
      return { outputShape: [...x], trainable: 0, nonTrainable: 0, macs: 0 }
    case 'Rescaling':
      return { outputShape: [...x], trainable: 0, nonTrainable: 0, macs: sizeOr1(x) }
    case 'BatchNormalization':
    case 'LayerNormalization': {
      const c = x[x.length - 1] ?? null
      if (!needKnown(c, 'channel count (last dimension)', report)) return FAIL
      const learned = (p.center === true ? c : 0) + (p.scale === true ? c : 0)
      // BatchNorm keeps a moving mean and variance per channel, updated but not trained.
      const moving = type === 'BatchNormalization' ? 2 * c : 0
      return { outputShape: [...x], trainable: learned, nonTrainable: moving, macs: sizeOr1(x) }
    }
    case 'Embedding': {
      const od = num(p, 'outputDim')
      return { outputShape: [...x, od], trainable: num(p, 'inputDim') * od, nonTrainable: 0, macs: 0 }
    }
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
    case 'Bidirectional':
      return recurrent(type, p, x, report)
    case 'Add': {
      for (let i = 1; i < inputs.length; i++) {
        if (!sameShapes(x, inputs[i] as Shape)) {
          report('E005', `Add needs identical shapes, got ${inputs.map(formatShape).join(' and ')}`, "make both branches produce the same shape (e.g. same filters and padding 'same'), or use Concatenate")
          return FAIL
        }
      }
      return { outputShape: [...x], trainable: 0, nonTrainable: 0, macs: 0 }
    }
    case 'Concatenate':
      return concatenate(p, inputs, report)
  }
}
