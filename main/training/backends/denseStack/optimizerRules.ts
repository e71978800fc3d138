// tfjs-core's optimizer updates (sgd, momentum, adam, rmsprop, adadelta, adagrad) as plain loops,
// with every intermediate rounded to float32 the way tfjs's element-wise ops round it, and the
// optimizer's own state fields, so the fused stepper can start from a tfjs optimizer's state and
// hand its state back (same variables, same names) for checkpoints and resume.
import type * as TF from '@tensorflow/tfjs'
import type { Tf } from '../../buildModel'

const f = Math.fround

/** One per-variable state tensor of an optimizer: the field holding it and its name suffix. */
export interface StateSlot {
  field: string
  suffix: string
  /** Value a fresh slot starts from (tfjs creates them on the first step). */
  init: number
}

/** What an update reads: the heap, the variable's value, gradient and state offsets, and its size. */
export interface UpdateArgs {
  h: Float32Array
  value: number
  grad: number
  state: number[]
  n: number
  lr: number
}

/** The update rule of one optimizer class, with its hyper-parameters bound. */
export interface OptimizerRule {
  className: 'SGD' | 'Momentum' | 'Adam' | 'RMSProp' | 'Adadelta' | 'Adagrad'
  slots: StateSlot[]
  /** Updates one variable in place. */
  update(a: UpdateArgs): void
  /** Adam's running powers of beta1 and beta2 (float32), advanced once per step after every variable. */
  acc?: { beta1: number; beta2: number }
  endStep?(): void
}

type Fields = Record<string, unknown>

/** The update rule of a tfjs optimizer as makeOptimizer builds it; null for settings the rule does not cover. */
export function ruleOf(tf: Tf, optimizer: TF.Optimizer): OptimizerRule | null {
  const o = optimizer as unknown as Fields
  const name = optimizer.getClassName()
  switch (name) {
    case 'SGD':
      return {
        className: name,
        slots: [],
        update({ h, value, grad, n, lr }) {
          const c = f(-lr)
          for (let i = 0; i < n; i++) h[value + i] = f(c * h[grad + i]!) + h[value + i]!
        },
      }
    case 'Momentum': {
      if (o.useNesterov) return null
      const m = f(o.momentum as number)
      return {
        className: name,
        slots: [{ field: 'accumulations', suffix: '/momentum', init: 0 }],
        update({ h, value, grad, state, n, lr }) {
          const c = f(-lr)
          const acc = state[0]!
          for (let i = 0; i < n; i++) {
            const a = f(f(m * h[acc + i]!) + h[grad + i]!)
            h[acc + i] = a
            h[value + i] = f(c * a) + h[value + i]!
          }
        },
      }
    }
    case 'Adam': {
      const b1 = f(o.beta1 as number)
      const b2 = f(o.beta2 as number)
      const c1 = f(1 - (o.beta1 as number))
      const c2 = f(1 - (o.beta2 as number))
      const eps = f(o.epsilon as number)
      const acc = { beta1: (o.accBeta1 as TF.Variable).dataSync()[0] as number, beta2: (o.accBeta2 as TF.Variable).dataSync()[0] as number }
      return {
        className: name,
        slots: [
          { field: 'accumulatedFirstMoment', suffix: '/m', init: 0 },
          { field: 'accumulatedSecondMoment', suffix: '/v', init: 0 },
        ],
        acc,
        update({ h, value, grad, state, n, lr }) {
          const a1 = f(1 - acc.beta1)
          const a2 = f(1 - acc.beta2)
          const nlr = f(-lr)
          const mo = state[0]!
          const vo = state[1]!
          for (let i = 0; i < n; i++) {
            const g = h[grad + i]!
            const m1 = f(f(h[mo + i]! * b1) + f(g * c1))
            const v1 = f(f(h[vo + i]! * b2) + f(f(g * g) * c2))
            h[mo + i] = m1
            h[vo + i] = v1
            const step = f(f(f(m1 / a1) / f(f(Math.sqrt(f(v1 / a2))) + eps)) * nlr)
            h[value + i] = step + h[value + i]!
          }
        },
        endStep() {
          acc.beta1 = f(acc.beta1 * b1)
          acc.beta2 = f(acc.beta2 * b2)
        },
      }
    }
    case 'RMSProp': {
      if (o.centered) return null
      const d = f(o.decay as number)
      const cd = f(1 - (o.decay as number))
      const mom = f(o.momentum as number)
      const eps = f(o.epsilon as number)
      return {
        className: name,
        slots: [
          { field: 'accumulatedMeanSquares', suffix: '/rms', init: 0 },
          { field: 'accumulatedMoments', suffix: '/momentum', init: 0 },
        ],
        update({ h, value, grad, state, n, lr }) {
          const flr = f(lr)
          const ms = state[0]!
          const mo = state[1]!
          for (let i = 0; i < n; i++) {
            const g = h[grad + i]!
            const s = f(f(h[ms + i]! * d) + f(f(g * g) * cd))
            const m = f(f(h[mo + i]! * mom) + f(f(g * flr) / f(Math.sqrt(f(s + eps)))))
            h[ms + i] = s
            h[mo + i] = m
            h[value + i] = h[value + i]! - m
          }
        },
      }
    }
    case 'Adadelta': {
      const r = f(o.rho as number)
      const cr = f(1 - (o.rho as number))
      const eps = f(o.epsilon as number)
      return {
        className: name,
        slots: [
          { field: 'accumulatedGrads', suffix: '/accum_grad', init: 0 },
          { field: 'accumulatedUpdates', suffix: '/accum_var', init: 0 },
        ],
        update({ h, value, grad, state, n, lr }) {
          const nlr = f(-lr)
          const ag = state[0]!
          const au = state[1]!
          for (let i = 0; i < n; i++) {
            const g = h[grad + i]!
            const oldG = h[ag + i]!
            const oldU = h[au + i]!
            // tfjs scales by the accumulated gradient from before this step's update; so do we.
            const u = f(f(f(Math.sqrt(f(oldU + eps))) / f(Math.sqrt(f(oldG + eps)))) * g)
            h[ag + i] = f(f(oldG * r) + f(f(g * g) * cr))
            h[au + i] = f(f(oldU * r) + f(f(u * u) * cr))
            h[value + i] = f(u * nlr) + h[value + i]!
          }
        },
      }
    }
    case 'Adagrad': {
      // tfjs's Adagrad takes the backend's epsilon, not a field of its own.
      const eps = f(tf.backend().epsilon())
      return {
        className: name,
        slots: [{ field: 'accumulatedGrads', suffix: '/accumulator', init: o.initialAccumulatorValue as number }],
        update({ h, value, grad, state, n, lr }) {
          const nlr = f(-lr)
          const ag = state[0]!
          for (let i = 0; i < n; i++) {
            const g = h[grad + i]!
            const a = f(h[ag + i]! + f(g * g))
            h[ag + i] = a
            h[value + i] = f(f(g / f(Math.sqrt(f(a + eps)))) * nlr) + h[value + i]!
          }
        },
      }
    }
    default:
      return null
  }
}

/** tfjs's record of one state variable. */
interface SlotEntry {
  originalName: string
  variable: TF.Variable
}

/** Reads the optimizer's state of variable `i` for `slot` into `out` (its start value when tfjs has not made it yet). */
export function readSlot(optimizer: TF.Optimizer, slot: StateSlot, i: number, out: Float32Array): void {
  const entry = ((optimizer as unknown as Fields)[slot.field] as (SlotEntry | undefined)[] | undefined)?.[i]
  if (entry) out.set(entry.variable.dataSync() as Float32Array)
  else out.fill(slot.init)
}

/** Writes `values` into the optimizer's state of variable `i` for `slot`, creating it (as tfjs names it) if missing. */
export function writeSlot(tf: Tf, optimizer: TF.Optimizer, slot: StateSlot, i: number, variableName: string, shape: number[], values: Float32Array): void {
  const o = optimizer as unknown as Fields
  const list = ((o[slot.field] as (SlotEntry | undefined)[] | undefined) ??= [])
  const entry = list[i]
  if (entry) tf.tidy(() => entry.variable.assign(tf.tensor(values, shape)))
  else list[i] = { originalName: `${variableName}${slot.suffix}`, variable: tf.tidy(() => tf.tensor(values, shape).variable(false)) }
}

/** The optimizer's step count (saved with its weights). */
export function readIterations(optimizer: TF.Optimizer): number {
  return ((optimizer as unknown as { iterations_?: number }).iterations_ ?? 0) as number
}

/** Sets the optimizer's step count. */
export function writeIterations(optimizer: TF.Optimizer, n: number): void {
  ;(optimizer as unknown as { iterations_: number }).iterations_ = n
}

/** Writes Adam's running beta powers back into its scalar variables. */
export function writeAdamScalars(tf: Tf, optimizer: TF.Optimizer, acc: { beta1: number; beta2: number }): void {
  const o = optimizer as unknown as { accBeta1: TF.Variable; accBeta2: TF.Variable }
  tf.tidy(() => {
    o.accBeta1.assign(tf.scalar(acc.beta1))
    o.accBeta2.assign(tf.scalar(acc.beta2))
  })
}
