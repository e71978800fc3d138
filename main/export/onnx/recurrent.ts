// SimpleRNN / LSTM / GRU (and Bidirectional around them) as the ONNX RNN / LSTM / GRU operators.
// tfjs keeps kernel [in, gates*units], recurrent kernel [units, gates*units] and one bias
// [gates*units]; ONNX wants W [dirs, gates*units, in], R [dirs, gates*units, units] and
// B [dirs, 2*gates*units] (input bias then recurrent bias), with LSTM gates in the order i, o, f, c
// where tfjs has i, f, c, o. GRU gate order (z, r, h) is the same on both sides, and tfjs' GRU
// (reset_after=false) is ONNX's linear_before_reset=0.
import { recurrentActivation } from './activations'
import type { OnnxBuilder, WeightTensor } from './builder'
import { reorderGates, stack, transpose } from './tensors'

/** The recurrent cells we convert. */
export type Cell = 'SimpleRNN' | 'LSTM' | 'GRU'

const GATES: Record<Cell, { op: string; order: number[] }> = {
  SimpleRNN: { op: 'RNN', order: [0] },
  // ONNX i, o, f, c ← tfjs i(0), f(1), c(2), o(3)
  LSTM: { op: 'LSTM', order: [0, 3, 1, 2] },
  GRU: { op: 'GRU', order: [0, 1, 2] },
}

/** What one recurrent layer needs. */
export interface RecurrentSpec {
  cell: Cell
  units: number
  inputFeatures: number
  activation: string
  recurrentActivation: string
  useBias: boolean
  returnSequences: boolean
  /** null for a plain layer; the merge mode for Bidirectional. */
  mergeMode: 'concat' | 'sum' | 'mul' | 'ave' | null
  /** tfjs weights: [kernel, recurrent, bias?] per direction, forward first. */
  weights: WeightTensor[]
}

/** Returns a message when the activations have no ONNX recurrent equivalent, else null. */
export function recurrentProblem(spec: Pick<RecurrentSpec, 'cell' | 'activation' | 'recurrentActivation'>): string | null {
  if (!recurrentActivation(spec.activation)) return `activation '${spec.activation}' has no ONNX ${GATES[spec.cell].op} equivalent`
  if (spec.cell !== 'SimpleRNN' && !recurrentActivation(spec.recurrentActivation)) {
    return `recurrentActivation '${spec.recurrentActivation}' has no ONNX ${GATES[spec.cell].op} equivalent`
  }
  return null
}

/** Emits the recurrent op for `x` ([batch, steps, features]) and returns the layer's output in tfjs' layout. */
export function emitRecurrent(b: OnnxBuilder, x: string, s: RecurrentSpec, base: string): string {
  const { op, order } = GATES[s.cell]
  const gates = order.length
  const dirs = s.mergeMode === null ? 1 : 2
  const per = s.useBias ? 3 : 2
  const W: WeightTensor[] = []
  const R: WeightTensor[] = []
  const B: WeightTensor[] = []
  for (let d = 0; d < dirs; d++) {
    const [kernel, recurrent, bias] = s.weights.slice(d * per, (d + 1) * per) as [WeightTensor, WeightTensor, WeightTensor | undefined]
    W.push(reorderGates(transpose(kernel, [1, 0]), s.units, order))
    R.push(reorderGates(transpose(recurrent, [1, 0]), s.units, order))
    const both = new Float32Array(2 * gates * s.units)
    if (bias) both.set(reorderGates({ shape: [gates * s.units], values: bias.values }, s.units, order).values)
    B.push({ shape: [2 * gates * s.units], values: both })
  }
  const named = (t: WeightTensor, n: string): string => b.floats(`${base}/${n}`, t.shape, t.values)
  const acts = (s.cell === 'LSTM' ? [s.recurrentActivation, s.activation, s.activation] : s.cell === 'GRU' ? [s.recurrentActivation, s.activation] : [s.activation]).map(
    (a) => recurrentActivation(a) as { name: string; alpha: number; beta: number },
  )
  const all = Array.from({ length: dirs }, () => acts).flat()
  const attrs: Parameters<OnnxBuilder['op']>[2] = {
    hidden_size: s.units,
    direction: dirs === 2 ? 'bidirectional' : 'forward',
    activations: all.map((a) => a.name),
  }
  // Alphas and betas are listed per activation that takes them, in order (ONNX RNN spec).
  const withParams = all.filter((a) => ['HardSigmoid', 'Elu', 'Affine'].includes(a.name))
  if (withParams.length > 0) {
    attrs.activation_alpha = { floats: withParams.map((a) => a.alpha) }
    if (withParams.some((a) => a.name !== 'Elu')) attrs.activation_beta = { floats: withParams.filter((a) => a.name !== 'Elu').map((a) => a.beta) }
  }
  if (s.cell === 'GRU') attrs.linear_before_reset = 0
  const xt = b.op1('Transpose', [x], { perm: [1, 0, 2] }, base) // [steps, batch, features]
  const outs = b.op(op, [xt, named(stack(W), 'W'), named(stack(R), 'R'), named(stack(B), 'B')], attrs, base, s.cell === 'LSTM' ? 3 : 2)
  const [y, yh] = outs as [string, string]
  let merged: string
  let dirAxis: number
  if (s.returnSequences) {
    merged = b.op1('Transpose', [y], { perm: [2, 0, 1, 3] }, base) // [batch, steps, dirs, units]
    dirAxis = 2
  } else {
    merged = b.op1('Transpose', [yh], { perm: [1, 0, 2] }, base) // [batch, dirs, units]
    dirAxis = 1
  }
  switch (s.mergeMode) {
    case null:
    case 'concat': {
      // Forward then backward units side by side, as tfjs' concat merge lays them out.
      const shape = s.returnSequences ? [0, 0, dirs * s.units] : [0, dirs * s.units]
      return b.op1('Reshape', [merged, b.int64s(`${base}/shape`, shape)], {}, base)
    }
    case 'sum':
      return b.op1('ReduceSum', [merged, b.int64s(`${base}/axes`, [dirAxis])], { keepdims: 0 }, base)
    case 'mul':
      return b.op1('ReduceProd', [merged], { axes: [dirAxis], keepdims: 0 }, base)
    case 'ave':
      return b.op1('ReduceMean', [merged], { axes: [dirAxis], keepdims: 0 }, base)
  }
}
