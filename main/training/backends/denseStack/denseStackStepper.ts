// A fused whole-step stepper for Dense-only chains (see plan.ts for what it takes): forward,
// loss, backward and the optimizer update of one batch in plain loops over one preallocated block
// (arena.ts; SIMD packed gemm in the wasm heap on the wasm backend), with no tensors, no tape and no
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
import { activate, activationGrad, addPenaltyGrad, applyDropout, lossAndGrad, penaltyOf } from './elementwise'
import { planDenseStack, type StackOp, type StackPlan } from './plan'

const f = Math.fround

/** One op's buffers (float offsets). */
interface OpBuffers {
  op: StackOp
  /** Input and output activations [batch, width]. */
  x: number
  y: number
  /** Gradients with respect to output and input (-1: the input needs none). */
  dy: number
  dx: number
  /** Dense: kernel, bias and their gradients. Dropout: the mask. */
  w: number
  b: number
  gw: number
  gb: number
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

// NW_FUSED_DENSE=0 keeps every run on the stock stepper (as NW_FUSED_RNN=0 does for recurrent layers).
let enabled = process.env.NW_FUSED_DENSE !== '0'

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
  readonly label = 'dense-stack'
  readonly threads = 1
  readonly reason: string
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
      const outW = op.kind === 'dense' ? op.units : op.width
      const y = take(cap * outW)
      const dy = take(cap * outW)
      const entry = { x, y, dy, dx, w: -1, b: -1, gw: -1, gb: -1, mask: -1 }
      if (op.kind === 'dense') {
        const k = varAt.get(op.kernel)!
        entry.w = k.value
        entry.gw = k.grad
        if (op.bias) {
          const b = varAt.get(op.bias)!
          entry.b = b.value
          entry.gb = b.grad
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
      this.ops.push({ op, x: shift(e.x), y: shift(e.y), dy: shift(e.dy), dx: shift(e.dx), w: shift(e.w), b: shift(e.b), gw: shift(e.gw), gb: shift(e.gb), mask: shift(e.mask) })
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
    this.reason = `the whole step of this Dense-only MLP fused in one pass (${this.arena.kind} kernels), no tfjs bookkeeping`
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
        // y[n, outW] (+)= x[n, inW] · W[inW, outW]
        a.gemm(o.y, outW, o.x, inW, 1, o.w, outW, 1, n, inW, outW, o.b >= 0)
        penalty += penaltyOf(h, o.w, inW * outW, op.kernelPenalty.l1, op.kernelPenalty.l2)
        if (o.b >= 0) penalty += penaltyOf(h, o.b, outW, op.biasPenalty.l1, op.biasPenalty.l2)
      } else if (op.kind === 'activation') {
        if (op.activation === 'relu' && a.relu) a.relu(o.x, o.y, n * op.width)
        else activate(h, op.activation, o.x, o.y, n, op.width)
      }
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
        // gW[inW, outW] = xᵀ · dy: x read transposed through its strides.
        a.gemm(o.gw, outW, o.x, 1, inW, o.dy, outW, 1, inW, n, outW, false)
        if (o.gb >= 0) a.sumRows(o.dy, o.gb, n, outW)
        // dx[n, inW] = dy · Wᵀ: W read transposed through its strides.
        if (o.dx >= 0) a.gemm(o.dx, inW, o.dy, outW, 1, o.w, 1, outW, n, outW, inW, false)
        addPenaltyGrad(h, o.w, o.gw, inW * outW, op.kernelPenalty.l1, op.kernelPenalty.l2)
        if (o.b >= 0) addPenaltyGrad(h, o.b, o.gb, outW, op.biasPenalty.l1, op.biasPenalty.l2)
      } else if (o.dx >= 0) {
        // Relu's output is positive exactly where its input is, so step(y) is tfjs's step(x).
        if (op.kind === 'activation' && op.activation === 'relu' && a.reluGrad) a.reluGrad(o.dy, o.y, o.dx, n * op.width)
        else if (op.kind === 'activation') activationGrad(h, op.activation, o.y, o.dy, o.dx, n, op.width)
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
    if (this.arena.dropout) this.arena.dropout(o.x, o.y, o.mask, n * width, rate, seed)
    else applyDropout(h, o.x, o.y, o.mask, n * width, rate, seed)
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
