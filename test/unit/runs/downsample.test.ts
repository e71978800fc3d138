import { describe, expect, it } from 'vitest'
import { downsample, pick } from '../../../common/runs/downsample'

/** Deterministic noisy series (LCG), so failures reproduce. */
function series(n: number, seed = 1): { x: number[]; y: number[] } {
  let s = seed
  const rnd = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648)
  const x: number[] = []
  const y: number[] = []
  for (let i = 0; i < n; i++) {
    x.push(i * 3 + (i % 7 === 0 ? 1 : 0))
    y.push(2 * Math.exp(-i / (n / 5)) + 0.3 * (rnd() - 0.5) + (i % 997 === 0 ? 5 : 0))
  }
  return { x, y }
}

const minOf = (v: number[]): number => v.reduce((a, b) => (b < a ? b : a), Infinity)
const maxOf = (v: number[]): number => v.reduce((a, b) => (b > a ? b : a), -Infinity)

function bucketsOf(x: number[], width: number): number[] {
  const x0 = x[0] as number
  const span = (x[x.length - 1] as number) - x0
  return x.map((v) => Math.min(width - 1, Math.floor(((v - x0) / span) * width)))
}

describe('downsample (minmax)', () => {
  it("keeps every bucket's first, last, min and max point", () => {
    const { x, y } = series(100_000)
    const width = 1500
    const { indices, downsampled } = downsample(x, y, { maxPoints: width })
    expect(downsampled).toBe(true)
    const kept = new Set(indices)
    const b = bucketsOf(x, width)
    const byBucket = new Map<number, number[]>()
    b.forEach((k, i) => byBucket.set(k, [...(byBucket.get(k) ?? []), i]))
    for (const members of byBucket.values()) {
      const vals = members.map((i) => y[i] as number)
      const min = minOf(vals)
      const max = maxOf(vals)
      expect(kept.has(members[0] as number)).toBe(true)
      expect(kept.has(members[members.length - 1] as number)).toBe(true)
      expect(members.some((i) => kept.has(i) && y[i] === min)).toBe(true)
      expect(members.some((i) => kept.has(i) && y[i] === max)).toBe(true)
    }
  })

  it('keeps the global min and max, bounds the output and returns points in x order', () => {
    const { x, y } = series(250_000, 7)
    for (const width of [2, 10, 640, 1500]) {
      const { indices } = downsample(x, y, { maxPoints: width })
      const ys = pick(y, indices)
      expect(minOf(ys)).toBe(minOf(y))
      expect(maxOf(ys)).toBe(maxOf(y))
      expect(indices.length).toBeLessThanOrEqual(4 * width)
      const xs = pick(x, indices)
      for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThanOrEqual(xs[i - 1] as number)
      for (let i = 1; i < indices.length; i++) expect(indices[i]).toBeGreaterThan(indices[i - 1] as number)
    }
  })

  it('returns small inputs whole', () => {
    const { x, y } = series(1500)
    expect(downsample(x, y, { maxPoints: 1500 })).toEqual({ indices: x.map((_, i) => i), downsampled: false, whole: true, droppedNonFiniteX: 0 })
    expect(downsample([], [], { maxPoints: 10 }).indices).toEqual([])
    expect(downsample([5], [1], { maxPoints: 10 }).indices).toEqual([0])
  })

  it('keeps NaN and infinite values visible instead of dropping them', () => {
    const { x, y } = series(50_000)
    y[12_345] = NaN
    y[30_000] = Infinity
    y[40_000] = -Infinity
    for (let i = 45_000; i < 50_000; i++) y[i] = NaN // a diverged tail
    const { indices } = downsample(x, y, { maxPoints: 300 })
    expect(indices).toContain(12_345)
    expect(indices).toContain(30_000)
    expect(indices).toContain(40_000)
    expect(indices).toContain(45_000)
    // min/max are taken over finite values only
    const finite = y.filter((v) => Number.isFinite(v))
    const ys = pick(y, indices).filter((v) => Number.isFinite(v))
    expect(minOf(ys)).toBe(minOf(finite))
    expect(maxOf(ys)).toBe(maxOf(finite))
  })

  it('sorts unsorted x, and reports points whose x cannot be placed', () => {
    const x = [5, 1, 3, NaN, 2, 4]
    const y = [50, 10, 30, 99, 20, 40]
    const r = downsample(x, y, { maxPoints: 100 })
    expect(pick(x, r.indices)).toEqual([1, 2, 3, 4, 5])
    expect(r.droppedNonFiniteX).toBe(1)
  })

  it('puts all points of a constant x in one bucket', () => {
    const x = new Array(1000).fill(3)
    const y = x.map((_, i) => Math.sin(i))
    const { indices } = downsample(x, y, { maxPoints: 10 })
    expect(indices.length).toBeLessThanOrEqual(4)
    expect(pick(y, indices)).toContain(minOf(y))
  })

  it('is deterministic', () => {
    const { x, y } = series(20_000, 3)
    expect(downsample(x, y, { maxPoints: 500 })).toEqual(downsample(x, y, { maxPoints: 500 }))
  })
})

describe('downsample (lttb)', () => {
  it('keeps about maxPoints points, the endpoints, the global extremes and non-finite markers', () => {
    const { x, y } = series(100_000, 5)
    y[777] = NaN
    const { indices } = downsample(x, y, { maxPoints: 1000, mode: 'lttb' })
    expect(indices.length).toBeLessThanOrEqual(1000 + 3)
    expect(indices[0]).toBe(0)
    expect(indices[indices.length - 1]).toBe(99_999)
    expect(indices).toContain(777)
    const finite = y.filter((v) => Number.isFinite(v))
    const ys = pick(y, indices).filter((v) => Number.isFinite(v))
    expect(minOf(ys)).toBe(minOf(finite))
    expect(maxOf(ys)).toBe(maxOf(finite))
    for (let i = 1; i < indices.length; i++) expect(indices[i]).toBeGreaterThan(indices[i - 1] as number)
  })
})
