// A fused whole-step stepper for Dense-only chains (see plan.ts for what it takes): forward,
// loss, backward and the optimizer update of one batch in plain loops over one preallocated block
// (arena.ts; SIMD gemm in the wasm heap on the wasm backend), with no tensors, no tape and no
// per-step allocation. For tiny MLPs tfjs's per-step bookkeeping (~3 ms) dwarfs the arithmetic.
// Formulas are tfjs's own (losses with epsilon clipping, activations' gradients, optimizers'
// float32 updates), so results match tfjs-layers' trainOnBatch to float rounding. Weights and
// optimizer state start from the model and optimizer and are written back on sync(), so
// checkpoints keep their format and a run may resume on either stepper.
import type * as TF from '@tensorflow/tfjs'
import type { ArrayBatch } from '../../batches'
import { setLearningRate } from '../../buildModel'
import type { BatchStepper, StepperInput, StepResult } from '../../stepper'
import type { WasmBackend } from '../wasm/heap'
import { jsArena, wasmArena, type Arena } from './arena'
import { readIterations, readSlot, ruleOf, writeAdamScalars, writeIterations, writeSlot, type OptimizerRule } from './optimizerRules'
import { planDenseStack, type StackOp, type StackPlan } from './plan'

const f = Math.fround
/** tfjs-layers' epsilon() (the clipping bound of its cross-entropy losses). */
const EPS = 1e-7
const LO = f(EPS)
const HI = f(1 - EPS)

/** One op's buffers (float offsets). */
interface OpBuffers {
  op: StackOp
  /** Input and output activations [batch, width]. */
  x: number
  y: number
  /** Gradients with respect to output and input (-1: the input needs none). */
  dy: number
  dx: number
  /** Dense: kernel, bias and their gradients; transposed scratch for dx. Dropout: the mask. */
  w: number
  b: number
  gw: number
  gb: number
  scratchT: number
  scratchXT: number
  mask: number
}

/** A variable in the block: its value, gradient and optimizer state offsets. */
interface VarSlot {
  v: TF.LayerVariable
  size: number
  value: number
  grad: number
  state: number[]
}

let enabled = true

/** Turns the fused stepper on or off (the bench and tests compare it with the stock one). */
export function setDenseStackEnabled(on: boolean): void {
  enabled = on
}

/** Builds the fused stepper for a run, or null when the model, loss or optimizer is not supported. */
export async function denseStackStepper(i: StepperInput): Promise<BatchStepper | null> {
  const { tf, model, optimizer, config, classes } = i
  if (!enabled) return null
  const backendName = tf.getBackend()
  if (backendName !== 'cpu' && backendName !== 'wasm') return null
  const plan = planDenseStack(model, config, classes)
  if (!plan) return null
  const rule = ruleOf(tf, optimizer)
  if (!rule) return null
  return new DenseStackStepper(tf, plan, rule, i, backendName === 'wasm' ? (tf.backend() as unknown as WasmBackend) : null)
}

class DenseStackStepper implements BatchStepper {
  readonly label: string
  private readonly arena: Arena
  private readonly ops: OpBuffers[] = []
  private readonly vars: VarSlot[] = []
  private readonly xIn: number
  private readonly out: number
  private readonly dOut: number
  private readonly capacity: number
  private lr: number
  private iterations: number

  constructor(
    private readonly tf: StepperInput['tf'],
    private readonly plan: StackPlan,
    private readonly rule: OptimizerRule,
    private readonly input: StepperInput,
    wasm: WasmBackend | null,
  ) {
    const cap = (this.capacity = Math.max(1, input.config.batchSize))
    // Lay the block out once: sizes first, then one allocation.
    let at = 0
    const take = (n: number) => {
      const o = at
      at += n
      return o
    }
    const varAt = new Map<TF.LayerVariable, { value: number; grad: number; state: number[]; size: number }>()
    for (const v of plan.variables) {
      const size = (v.shape as number[]).reduce((a, b) => a * b, 1)
      varAt.set(v, { size, value: take(size), grad: take(size), state: rule.slots.map(() => take(size)) })
    }
    this.xIn = take(cap * plan.inputs)
    let x = this.xIn
    let dx = -1
    const layout: Omit<OpBuffers, 'op'>[] = []
    for (const op of plan.ops) {
      const inW = op.kind === 'dense' ? op.inputs : op.width
      const outW = op.kind === 'dense' ? op.units : op.width
      const y = take(cap * outW)
      const dy = take(cap * outW)
      const entry = { x, y, dy, dx, w: -1, b: -1, gw: -1, gb: -1, scratchT: -1, scratchXT: -1, mask: -1 }
      if (op.kind === 'dense') {
        const k = varAt.get(op.kernel)!
        entry.w = k.value
        entry.gw = k.grad
        if (op.bias) {
          const b = varAt.get(op.bias)!
          entry.b = b.value
          entry.gb = b.grad
        }
        if (dx >= 0) {
          entry.scratchT = take(cap * outW)
          entry.scratchXT = take(cap * inW)
        }
      } else if (op.kind === 'dropout') entry.mask = take(cap * outW)
      layout.push(entry)
      x = y
      dx = dy
    }
    const total = at
    const arena = wasm ? wasmArena(wasm, total) : null
    this.arena = arena ?? jsArena(total)
    const base = this.arena.base
    this.xIn += base
    plan.ops.forEach((op, k) => {
      const e = layout[k]!
      const shift = (o: number) => (o < 0 ? o : o + base)
      this.ops.push({ op, x: shift(e.x), y: shift(e.y), dy: shift(e.dy), dx: shift(e.dx), w: shift(e.w), b: shift(e.b), gw: shift(e.gw), gb: shift(e.gb), scratchT: shift(e.scratchT), scratchXT: shift(e.scratchXT), mask: shift(e.mask) })
    })
    const last = this.ops[this.ops.length - 1]!
    this.out = last.y
    this.dOut = last.dy
    for (const v of plan.variables) {
      const s = varAt.get(v)!
      this.vars.push({ v, size: s.size, value: s.value + base, grad: s.grad + base, state: s.state.map((o) => o + base) })
    }
    this.lr = input.config.learningRate
    this.iterations = readIterations(input.optimizer)
    this.label = `dense-stack (${this.arena.kind})`
    this.load()
  }

  /** Copies the model's weights and the optimizer's state into the block. */
  private load(): void {
    // The heap view is taken again for every copy: tfjs may grow the wasm heap in between,
    // which detaches the previous view.
    this.vars.forEach((s, i) => {
      const values = s.v.read().dataSync() as Float32Array
      this.arena.h().set(values, s.value)
      this.rule.slots.forEach((slot, k) => {
        const out = new Float32Array(s.size)
        readSlot(this.input.optimizer, slot, i, out)
        this.arena.h().set(out, s.state[k]!)
      })
    })
  }

  async step(batch: ArrayBatch): Promise<StepResult> {
    const n = batch.n
    const plan = this.plan
    if (n > this.capacity || batch.x.length !== n * plan.inputs) throw new Error(`dense-stack stepper: batch of ${n} x ${batch.x.length / Math.max(1, n)} does not fit its ${this.capacity} x ${plan.inputs} buffers`)
    const a = this.arena
    let h = a.h()
    h.set(batch.x, this.xIn)
    // Forward.
    let penalty = 0
    for (let k = 0; k < this.ops.length; k++) {
      const o = this.ops[k]!
      const op = o.op
      if (op.kind === 'dense') {
        const { inputs: inW, units: outW } = op
        if (o.b >= 0) for (let r = 0; r < n; r++) h.copyWithin(o.y + r * outW, o.b, o.b + outW)
        a.gemm(o.y, o.x, 1, inW, o.w, outW, n, inW, outW, o.b >= 0)
        penalty += penaltyOf(h, o.w, inW * outW, op.kernelPenalty.l1, op.kernelPenalty.l2)
        if (o.b >= 0) penalty += penaltyOf(h, o.b, outW, op.biasPenalty.l1, op.biasPenalty.l2)
      } else if (op.kind === 'activation') activate(h, op.activation, o.x, o.y, n, op.width)
      else this.dropout(h, o, k, n, op.width, op.rate)
    }
    h = a.h()
    const { loss, accuracy } = lossAndGrad(h, plan, this.out, this.dOut, batch.labels, n)
    // Backward.
    for (let k = this.ops.length - 1; k >= 0; k--) {
      const o = this.ops[k]!
      const op = o.op
      if (op.kind === 'dense') {
        const { inputs: inW, units: outW } = op
        a.gemm(o.gw, o.x, inW, 1, o.dy, outW, inW, n, outW, false)
        if (o.gb >= 0) a.sumRows(o.dy, o.gb, n, outW)
        if (o.dx >= 0) {
          transpose(h, o.dy, o.scratchT, n, outW)
          a.gemm(o.scratchXT, o.w, 1, outW, o.scratchT, n, inW, outW, n, false)
          transpose(h, o.scratchXT, o.dx, inW, n)
        }
        addPenaltyGrad(h, o.w, o.gw, inW * outW, op.kernelPenalty.l1, op.kernelPenalty.l2)
        if (o.b >= 0) addPenaltyGrad(h, o.b, o.gb, outW, op.biasPenalty.l1, op.biasPenalty.l2)
      } else if (o.dx >= 0) {
        if (op.kind === 'activation') activationGrad(h, op.activation, o.y, o.dy, o.dx, n, op.width)
        else for (let j = 0, m = n * op.width; j < m; j++) h[o.dx + j] = h[o.dy + j]! * h[o.mask + j]!
      }
    }
    // Update, in tfjs's variable order.
    for (const s of this.vars) {
      if (this.rule.className === 'Adam' && a.adam && this.rule.acc) {
        const acc = this.rule.acc
        const b1 = f((this.input.optimizer as unknown as { beta1: number }).beta1)
        const b2 = f((this.input.optimizer as unknown as { beta2: number }).beta2)
        const eps = f((this.input.optimizer as unknown as { epsilon: number }).epsilon)
        const [m, v] = s.state as [number, number]
        a.adam(s.value * 4, m * 4, v * 4, s.grad * 4, s.value * 4, m * 4, v * 4, s.size, b1, f(1 - b1), b2, f(1 - b2), f(1 - acc.beta1), f(1 - acc.beta2), eps, f(-this.lr))
      } else this.rule.update({ h, value: s.value, grad: s.grad, state: s.state, n: s.size, lr: this.lr })
    }
    this.rule.endStep?.()
    this.iterations++
    return { loss: loss + penalty, accuracy: accuracy ?? undefined }
  }

  /** This step's dropout masks: from the run's seed, the step number and the op, so a resumed run draws the same. */
  private dropout(h: Float32Array, o: OpBuffers, k: number, n: number, width: number, rate: number): void {
    const seed = (Math.imul(this.input.config.seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(this.iterations + 1, 0x85ebca6b) + k * 0x27d4eb2f) >>> 0
    applyDropout(h, o.x, o.y, o.mask, n * width, rate, seed)
  }

  setLearningRate(lr: number): void {
    this.lr = lr
    setLearningRate(this.input.optimizer, lr)
  }

  async sync(): Promise<void> {
    const { tf, input, rule } = this
    // Copies (tf.tensor keeps the array it is given, and the block keeps changing), each from a
    // fresh heap view: making a tensor may grow the wasm heap, which detaches the previous view.
    const copy = (at: number, size: number) => this.arena.h().slice(at, at + size)
    this.vars.forEach((s, i) => {
      const shape = s.v.shape as number[]
      const values = copy(s.value, s.size)
      tf.tidy(() => {
        s.v.write(tf.tensor(values, shape))
      })
      // tfjs names optimizer state after the variable it updates (its registered name).
      const name = (s.v.read() as TF.Variable).name
      rule.slots.forEach((slot, k) => writeSlot(tf, input.optimizer, slot, i, name, shape, copy(s.state[k]!, s.size)))
    })
    if (rule.acc) writeAdamScalars(tf, input.optimizer, rule.acc)
    writeIterations(input.optimizer, this.iterations)
  }

  async dispose(): Promise<void> {
    this.arena.dispose()
  }
}

/**
 * Inverted dropout as tfjs computes it: each value kept with probability 1 - rate (mask =
 * floor(u + 1 - rate)) and kept values scaled by 1 / (1 - rate), so the expected output equals the
 * input. u comes from the run's own generator (seededRandom's mulberry32 from `seed`, inlined:
 * a closure call per value cost more than the rest of the mask), not tfjs's, so runs with dropout
 * are reproducible and resume exactly but are not bitwise equal to tfjs-layers' runs.
 */
export function applyDropout(h: Float32Array, x: number, y: number, mask: number, size: number, rate: number, seed: number): void {
  const keep = 1 - rate
  const scale = f(1 / keep)
  let s = seed >>> 0
  for (let j = 0; j < size; j++) {
    s = (s + 0x6d2b79f5) >>> 0
    let t = Math.imul(s ^ (s >>> 15), s | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296
    const kept = Math.floor(u + keep) ? scale : 0
    h[mask + j] = kept
    h[y + j] = h[x + j]! * kept
  }
}

/** Row-major [rows, cols] at `src` into [cols, rows] at `dst`. */
function transpose(h: Float32Array, src: number, dst: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) h[dst + c * rows + r] = h[src + r * cols + c]!
}

/** tfjs-layers' L1L2 penalty of a weight: l1 * sum |w| + l2 * sum w². */
function penaltyOf(h: Float32Array, w: number, size: number, l1: number, l2: number): number {
  if (l1 === 0 && l2 === 0) return 0
  let s1 = 0
  let s2 = 0
  for (let j = 0; j < size; j++) {
    const v = h[w + j]!
    s1 += Math.abs(v)
    s2 += v * v
  }
  return l1 * s1 + l2 * s2
}

/** Adds the penalty's gradient (l1 * d|w| + 2 * l2 * w) to a weight's gradient; tfjs takes d|w| = -1 at w = 0. */
function addPenaltyGrad(h: Float32Array, w: number, g: number, size: number, l1: number, l2: number): void {
  if (l1 === 0 && l2 === 0) return
  const fl1 = f(l1)
  const fl2 = f(l2)
  for (let j = 0; j < size; j++) {
    const v = h[w + j]!
    h[g + j] = h[g + j]! + f(fl1 * (v > 0 ? 1 : -1)) + f(fl2 * f(2 * v))
  }
}

/** y = activation(x) over [n, width] (softmax along each row). */
function activate(h: Float32Array, kind: string, x: number, y: number, n: number, width: number): void {
  const m = n * width
  switch (kind) {
    case 'relu':
      for (let j = 0; j < m; j++) {
        const v = h[x + j]!
        h[y + j] = v > 0 ? v : 0
      }
      return
    case 'sigmoid':
      for (let j = 0; j < m; j++) h[y + j] = 1 / (1 + Math.exp(-h[x + j]!))
      return
    case 'tanh':
      for (let j = 0; j < m; j++) h[y + j] = Math.tanh(h[x + j]!)
      return
    case 'softmax':
      for (let r = 0; r < n; r++) {
        const o = r * width
        let max = -Infinity
        for (let c = 0; c < width; c++) max = Math.max(max, h[x + o + c]!)
        let sum = 0
        for (let c = 0; c < width; c++) {
          const e = f(Math.exp(f(h[x + o + c]! - max)))
          h[y + o + c] = e
          sum += e
        }
        const fs = f(sum)
        for (let c = 0; c < width; c++) h[y + o + c] = h[y + o + c]! / fs
      }
      return
    default:
      h.copyWithin(y, x, x + m)
  }
}

/** dx = dy * activation'(x), from the activation's output y (tfjs's own gradient formulas). */
function activationGrad(h: Float32Array, kind: string, y: number, dy: number, dx: number, n: number, width: number): void {
  const m = n * width
  switch (kind) {
    case 'relu':
      for (let j = 0; j < m; j++) h[dx + j] = h[y + j]! > 0 ? h[dy + j]! : 0
      return
    case 'sigmoid':
      for (let j = 0; j < m; j++) {
        const s = h[y + j]!
        h[dx + j] = h[dy + j]! * f(s * f(1 - s))
      }
      return
    case 'tanh':
      for (let j = 0; j < m; j++) {
        const t = h[y + j]!
        h[dx + j] = h[dy + j]! * f(1 - f(t * t))
      }
      return
    case 'softmax':
      // dx = dy * y - y * sum(dy * y) along the row.
      for (let r = 0; r < n; r++) {
        const o = r * width
        let s = 0
        for (let c = 0; c < width; c++) s += f(h[dy + o + c]! * h[y + o + c]!)
        const fs = f(s)
        for (let c = 0; c < width; c++) {
          const yc = h[y + o + c]!
          h[dx + o + c] = f(h[dy + o + c]! * yc) - f(yc * fs)
        }
      }
      return
    default:
      h.copyWithin(dx, dy, dy + m)
  }
}

/**
 * The batch's mean loss and accuracy, and the loss's gradient with respect to the output (written
 * at `dp`), with tfjs-layers' formulas: cross-entropies clip probabilities to [eps, 1 - eps] (no
 * gradient where clipped), binary CE goes through logits, categorical CE renormalizes rows.
 */
function lossAndGrad(h: Float32Array, plan: StackPlan, p: number, dp: number, labels: Int32Array | Float32Array, n: number): { loss: number; accuracy: number | null } {
  const width = plan.outputs
  const invN = f(1 / n)
  let loss = 0
  let correct = 0
  switch (plan.loss) {
    case 'meanSquaredError':
      for (let r = 0; r < n; r++) {
        const d = f(h[p + r]! - labels[r]!)
        loss += f(d * d)
        h[dp + r] = f(invN * f(2 * d))
      }
      break
    case 'meanAbsoluteError':
      for (let r = 0; r < n; r++) {
        const d = f(h[p + r]! - labels[r]!)
        loss += Math.abs(d)
        h[dp + r] = d > 0 ? invN : -invN // tfjs's abs gradient is -1 at 0
      }
      break
    case 'binaryCrossentropy':
      for (let r = 0; r < n; r++) {
        const q = h[p + r]!
        const z = labels[r]!
        const y = q < LO ? LO : q > HI ? HI : q
        const l = f(Math.log(f(y / f(1 - y))))
        const e = f(Math.exp(-Math.abs(l)))
        loss += f(f((l > 0 ? l : 0) - f(l * z)) + f(Math.log1p(e)))
        // d/dl of relu(l) - l*z + log1p(exp(-|l|)), then through log(y / (1 - y)) and the clip.
        // (tfjs's gradient of |l| is -1 at l = 0, which a dead row before a zero bias hits exactly.)
        const dl = f(f((l > 0 ? 1 : 0) - z) - f(f(e / f(1 + e)) * (l > 0 ? 1 : -1)))
        h[dp + r] = q >= LO && q <= HI ? f(f(invN * dl) / f(y * f(1 - y))) : 0
      }
      break
    case 'categoricalCrossentropy':
      for (let r = 0; r < n; r++) {
        const o = p + r * width
        const g = dp + r * width
        const t = labels[r]!
        let sum = 0
        for (let c = 0; c < width; c++) sum += h[o + c]!
        const s = f(sum)
        // Only the true class has a nonzero target; its clipped, renormalized probability.
        const pt = t >= 0 && t < width ? f(h[o + t]! / s) : NaN
        const ct = pt < LO ? LO : pt > HI ? HI : pt
        if (Number.isFinite(pt)) loss += -f(Math.log(ct))
        // dL/dq_t = -1 / q_t (zero where clipped); q = p / s, so dL/dp_c = (dq_c - sum_k dq_k q_k) / s.
        const dq = Number.isFinite(pt) && pt >= LO && pt <= HI ? f(-invN / ct) : 0
        const dot = f(dq * pt)
        for (let c = 0; c < width; c++) h[g + c] = f(f((c === t ? dq : 0) - dot) / s)
      }
      break
  }
  if (plan.accuracy === 'binary') for (let r = 0; r < n; r++) correct += (h[p + r]! > 0.5 ? 1 : 0) === labels[r] ? 1 : 0
  else if (plan.accuracy === 'categorical')
    for (let r = 0; r < n; r++) {
      // tfjs's argMax: the first of equal maxima.
      let best = 0
      for (let c = 1; c < width; c++) if (h[p + r * width + c]! > h[p + r * width + best]!) best = c
      if (best === labels[r]) correct++
    }
  const accuracy = plan.accuracy === null ? null : correct / n
  return { loss: loss / n, accuracy }
}
