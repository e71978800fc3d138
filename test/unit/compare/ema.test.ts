import { describe, expect, it } from 'vitest'
import { AUTO_SMOOTHING_MIN_POINTS, effectiveSmoothing, emaSmooth } from '../../../renderer/src/compare/ema'

describe('emaSmooth', () => {
  it('returns the raw values at weight 0', () => {
    expect(emaSmooth([3, 1, 4, 1, 5], 0)).toEqual([3, 1, 4, 1, 5])
  })

  it('is debiased: a constant series stays constant from the first point', () => {
    for (const v of emaSmooth([2, 2, 2, 2], 0.9)) expect(v).toBeCloseTo(2, 12)
  })

  it('matches the TensorBoard recurrence', () => {
    const w = 0.6
    const y = [1, 3, 2, 5]
    let last = 0
    const expected = y.map((v, i) => {
      last = last * w + (1 - w) * v
      return last / (1 - Math.pow(w, i + 1))
    })
    const got = emaSmooth(y, w)
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 12))
  })

  it('turns NaN, infinities and missing values into gaps without poisoning later points', () => {
    const got = emaSmooth([1, NaN, null, Infinity, 1], 0.5)
    expect(got[1]).toBeNull()
    expect(got[2]).toBeNull()
    expect(got[3]).toBeNull()
    expect(got[0]).toBeCloseTo(1, 12)
    expect(got[4]).toBeCloseTo(1, 12)
  })

  it('clamps the weight so 1 does not freeze the curve at zero', () => {
    const got = emaSmooth([0, 10], 1)
    expect(Number.isFinite(got[1] as number)).toBe(true)
  })
})

// TensorBoard's smoothing, ported line for line from its scalar chart (vz_line_chart2
// line-chart.ts, resmoothDataset): a debiased EMA that leaves non-finite values and constant
// series as they are.
function tensorBoardSmooth(values: number[], smoothingWeight: number): number[] {
  let last = values.length > 0 ? 0 : NaN
  let numAccum = 0
  const isConstant = values.every((v) => v === values[0])
  return values.map((nextVal) => {
    if (isConstant || !Number.isFinite(nextVal)) return nextVal
    last = last * smoothingWeight + (1 - smoothingWeight) * nextVal
    numAccum++
    let debiasWeight = 1
    if (smoothingWeight !== 1) debiasWeight = 1 - Math.pow(smoothingWeight, numAccum)
    return last / debiasWeight
  })
}

describe('emaSmooth against TensorBoard', () => {
  it('gives TensorBoard’s values on a noisy series, for several weights', () => {
    let seed = 7
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const y = Array.from({ length: 300 }, (_, i) => 2 * Math.exp(-i / 80) + 0.3 * rand())
    for (const w of [0.1, 0.6, 0.9, 0.99]) {
      const ours = emaSmooth(y, w)
      tensorBoardSmooth(y, w).forEach((v, i) => expect(ours[i]).toBeCloseTo(v, 10))
    }
  })

  it('agrees where TensorBoard skips a NaN: the average carries on past it', () => {
    const y = [1, 2, NaN, 4, 5]
    const tb = tensorBoardSmooth(y, 0.6)
    const ours = emaSmooth(y, 0.6)
    expect(ours[2]).toBeNull()
    for (const i of [0, 1, 3, 4]) expect(ours[i]).toBeCloseTo(tb[i] as number, 12)
  })
})

describe('effectiveSmoothing', () => {
  it('draws raw values by default on short curves, and a 0.6 EMA from 50 points', () => {
    expect(effectiveSmoothing(null, 2)).toBe(0)
    expect(effectiveSmoothing(null, AUTO_SMOOTHING_MIN_POINTS - 1)).toBe(0)
    expect(effectiveSmoothing(null, AUTO_SMOOTHING_MIN_POINTS)).toBe(0.6)
  })
  it('keeps the weight the person chose, whatever the length', () => {
    expect(effectiveSmoothing(0.9, 2)).toBe(0.9)
    expect(effectiveSmoothing(0, 5000)).toBe(0)
  })
})
