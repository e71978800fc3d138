import { describe, expect, it } from 'vitest'
import { alignCurves, bestIndex, SLOTS_PER_PIXEL } from '../../../renderer/src/compare/align'
import { buildPlotData } from '../../../renderer/src/compare/plotData'
import type { RunSeries } from '../../../common/contract'

const series = (runId: number, x: number[], y: (number | null)[]): RunSeries =>
  ({ runId, metric: 'loss', x, y: y as number[], total: x.length, downsampled: false, nonFinite: { nan: 0, posInf: 0, negInf: 0, firstX: null } })

describe('alignCurves', () => {
  it('puts curves on the union of their x values, undefined where a run has no point, null for NaN', () => {
    const a = alignCurves([
      { runId: 1, x: [0, 2, 4], y: [1, NaN, 3] },
      { runId: 2, x: [1, 2], y: [5, 6] },
    ])
    expect(a.snapped).toBe(false)
    expect(a.x).toEqual([0, 1, 2, 4])
    expect(a.columns[0]).toEqual([1, undefined, null, 3])
    expect(a.columns[1]).toEqual([undefined, 5, 6, undefined])
  })

  it('skips points whose x cannot be placed', () => {
    const a = alignCurves([{ runId: 1, x: [0, NaN, 2], y: [1, 2, 3] }])
    expect(a.x).toEqual([0, 2])
    expect(a.columns[0]).toEqual([1, 3])
  })

  it('puts many distinct x values on the pixel grid, keeping each pixel’s first, min, max, last and gap', () => {
    // 1000 points over 10 pixels: 100 per pixel, with a spike up and down in pixel 5 and a NaN in pixel 7.
    const x = Array.from({ length: 1000 }, (_, i) => i + 0.5)
    const y: (number | null)[] = x.map((_, i) => (i === 550 ? 100 : i === 560 ? -100 : i === 720 ? null : 1 + i / 1000))
    const a = alignCurves([{ runId: 1, x, y }, { runId: 2, x: x.map((v) => v + 0.25), y: x.map(() => 2) }], 10)
    expect(a.snapped).toBe(true)
    expect(a.x).toHaveLength(10 * SLOTS_PER_PIXEL)
    const col = a.columns[0]!
    const pixel5 = col.slice(5 * SLOTS_PER_PIXEL, 6 * SLOTS_PER_PIXEL)
    expect(pixel5).toEqual([1.5, 100, -100, 1.599, undefined]) // first, max (i=550), min (i=560), last: in x order
    expect(col.slice(7 * SLOTS_PER_PIXEL, 8 * SLOTS_PER_PIXEL)).toContain(null)
    expect(a.columns[1]!.filter((v) => v === 2)).toHaveLength(20) // a flat run: first and last per pixel
    expect(a.x[0]).toBeGreaterThan(0.5)
    expect(a.x[a.x.length - 1]).toBeLessThan(999.75)
  })

  it('needs no gap slot when no curve has a gap', () => {
    const x = Array.from({ length: 1000 }, (_, i) => i)
    const a = alignCurves([{ runId: 1, x, y: x.map((v) => v % 7) }], 10)
    expect(a.x).toHaveLength(10 * (SLOTS_PER_PIXEL - 1))
  })
})

describe('bestIndex', () => {
  it('finds the lowest for loss-like and highest for accuracy-like metrics, ignoring non-finite values', () => {
    expect(bestIndex([3, 1, NaN, 2], 'min')).toBe(1)
    expect(bestIndex([0.3, null, 0.9, Infinity], 'max')).toBe(2)
    expect(bestIndex([null, NaN], 'min')).toBe(-1)
  })
})

describe('buildPlotData', () => {
  const data = [series(1, [0, 1, 2], [3, 1, 2]), series(2, [1, 2, 3], [4, null, 0.5]), series(3, [], [])]

  it('drops runs without points and marks each run’s best point', () => {
    const d = buildPlotData(data, { goal: 'min', smoothing: 0, logY: false })
    expect(d.runIds).toEqual([1, 2])
    expect(d.raw).toEqual([])
    expect(d.main).toHaveLength(2)
    expect(d.best).toEqual([
      { x: 1, y: 1 },
      { x: 3, y: 0.5 },
    ])
  })

  it('adds a raw column per run behind the smoothed one when smoothing', () => {
    const d = buildPlotData(data, { goal: 'min', smoothing: 0.5, logY: false })
    expect(d.raw).toHaveLength(2)
    expect(d.main).toHaveLength(2)
    expect(d.raw[0]).toEqual([3, 1, 2, undefined])
    expect(d.main[0]![0]).toBeCloseTo(3, 12)
    expect(d.main[0]![1]).not.toBe(1)
  })

  it('leaves the raw curves out when too many runs would turn them into a grey band', () => {
    const many = Array.from({ length: 25 }, (_, i) => series(i + 1, [0, 1], [1, 2]))
    const d = buildPlotData(many, { goal: 'min', smoothing: 0.5, logY: false })
    expect(d.raw).toEqual([])
    expect(d.main).toHaveLength(25)
    expect(buildPlotData(many, { goal: 'min', smoothing: 0.5, logY: false, rawBehind: true }).raw).toHaveLength(25)
  })

  it('turns values a log axis cannot show into gaps', () => {
    const d = buildPlotData([series(1, [0, 1, 2], [1, 0, -1])], { goal: 'max', smoothing: 0, logY: true })
    expect(d.main[0]).toEqual([1, null, null])
    expect(d.best[0]).toEqual({ x: 0, y: 1 })
  })
})
