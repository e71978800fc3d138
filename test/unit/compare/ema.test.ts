import { describe, expect, it } from 'vitest'
import { emaSmooth } from '../../../renderer/src/compare/ema'

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
