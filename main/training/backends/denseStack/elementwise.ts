// The element-wise parts of the fused dense step, on a float32 heap view with float offsets:
// activations and their gradients, the losses with their gradients and accuracy, dropout, L1/L2
// penalties. Each follows the tfjs op it replaces (formulas, float32 rounding,
// and the gradient tfjs takes at kinks such as |x| at 0).
import type { StackPlan } from './plan'

const f = Math.fround
/** tfjs-layers' epsilon() (the clipping bound of its cross-entropy losses). */
const EPS = 1e-7
const LO = f(EPS)
const HI = f(1 - EPS)

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

/** tfjs-layers' L1L2 penalty of a weight: l1 * sum |w| + l2 * sum w². */
export function penaltyOf(h: Float32Array, w: number, size: number, l1: number, l2: number): number {
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
export function addPenaltyGrad(h: Float32Array, w: number, g: number, size: number, l1: number, l2: number): void {
  if (l1 === 0 && l2 === 0) return
  const fl1 = f(l1)
  const fl2 = f(l2)
  for (let j = 0; j < size; j++) {
    const v = h[w + j]!
    h[g + j] = h[g + j]! + f(fl1 * (v > 0 ? 1 : -1)) + f(fl2 * f(2 * v))
  }
}

/** y = activation(x) over [n, width] (softmax along each row). */
export function activate(h: Float32Array, kind: string, x: number, y: number, n: number, width: number): void {
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
export function activationGrad(h: Float32Array, kind: string, y: number, dy: number, dx: number, n: number, width: number): void {
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
export function lossAndGrad(h: Float32Array, plan: StackPlan, p: number, dp: number, labels: Int32Array | Float32Array, n: number): { loss: number; accuracy: number | null } {
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
