import { describe, expect, it } from 'vitest'
import { buildAxis, pickAxisRows, polylineSegments, shortNumber } from '../../../renderer/src/compare/parallel'

describe('parallel-coordinates axes', () => {
  it('scales numbers linearly from the lowest (0) to the highest (1)', () => {
    const a = buildAxis('batchSize', 'batchSize', [16, 32, 64])
    expect(a.kind).toBe('linear')
    expect(a.position(16)).toBe(0)
    expect(a.position(64)).toBe(1)
    expect(a.position(32)).toBeCloseTo(1 / 3, 12)
    expect(a.ticks.map((t) => t.label)).toEqual(['16', '40', '64'])
  })

  it('uses a log axis for positive values spanning two decades or more', () => {
    const a = buildAxis('learningRate', 'learningRate', [0.001, 0.01, 0.1])
    expect(a.kind).toBe('log')
    expect(a.position(0.01)).toBeCloseTo(0.5, 12)
    expect(a.position(-1)).toBeNull()
  })

  it('places one distinct value mid-axis and missing values nowhere', () => {
    const a = buildAxis('epochs', 'epochs', [5, 5, null])
    expect(a.position(5)).toBe(0.5)
    expect(a.position(null)).toBeNull()
    expect(a.position(undefined)).toBeNull()
  })

  it('spreads categories evenly in sorted order, objects by their JSON', () => {
    const a = buildAxis('optimizer', 'optimizer', ['sgd', 'adam', 'rmsprop', 'adam'])
    expect(a.kind).toBe('category')
    expect(a.ticks.map((t) => t.label)).toEqual(['adam', 'rmsprop', 'sgd'])
    expect(a.position('adam')).toBe(0)
    expect(a.position('sgd')).toBe(1)
    expect(a.position('nadam')).toBeNull()
    const o = buildAxis('es', 'es', [{ p: 1 }, null])
    expect(o.position({ p: 1 })).toBe(0.5)
  })

  it('picks the differing hyperparameters, else the numeric ones, at most max', () => {
    const rows = [
      { key: 'optimizer', values: { 1: 'adam', 2: 'adam' }, differs: false },
      { key: 'learningRate', values: { 1: 0.1, 2: 0.01 }, differs: true },
      { key: 'batchSize', values: { 1: 32, 2: 32 }, differs: false },
    ]
    expect(pickAxisRows(rows).map((r) => r.key)).toEqual(['learningRate'])
    expect(pickAxisRows(rows.map((r) => ({ ...r, differs: false }))).map((r) => r.key)).toEqual(['learningRate', 'batchSize'])
    expect(pickAxisRows(rows.map((r) => ({ ...r, differs: true })), 2)).toHaveLength(2)
  })

  it('draws a run as polylines, value 1 at the top, broken where a value is missing', () => {
    expect(polylineSegments([0, 1, null, 0.5, 0.5], 10, 100, 20, 200)).toEqual(['10.0,220.0 110.0,20.0', '310.0,120.0 410.0,120.0'])
  })

  it('labels numbers briefly', () => {
    expect(shortNumber(0.000125)).toBe('1.3e-4')
    expect(shortNumber(12.3456)).toBe('12.3')
    expect(shortNumber(0)).toBe('0')
  })
})
