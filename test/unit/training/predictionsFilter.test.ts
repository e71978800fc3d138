import { describe, expect, it } from 'vitest'
import { pickFinalCheckpoint } from '../../../common/training/finalCheckpoint'
import { filterPredictions, scatterPoints } from '../../../main/training/predictionsPage'

const p = {
  rowIndex: Uint32Array.from([10, 11, 12, 13, 14, 15]),
  truth: Int32Array.from([0, 1, 1, 0, 2, 1]),
  predicted: Int32Array.from([0, 0, 1, 1, 0, 0]),
  confidence: Float32Array.from([0.9, 0.6, 0.8, 0.7, 0.5, 0.4]),
}

describe('predictions narrowed to classes (a confusion-matrix cell)', () => {
  it('keeps the samples of one true and one predicted class', () => {
    expect(Array.from(filterPredictions(p, true, 'all', { truth: 1, predicted: 0 }))).toEqual([1, 5])
  })
  it('narrows by the true class alone, or the predicted class alone', () => {
    expect(Array.from(filterPredictions(p, true, 'all', { truth: 1 }))).toEqual([1, 2, 5])
    expect(Array.from(filterPredictions(p, true, 'all', { predicted: 0 }))).toEqual([0, 1, 4, 5])
  })
  it('combines with "mistakes": a diagonal cell then has none', () => {
    expect(Array.from(filterPredictions(p, true, 'mistakes', { truth: 1 }))).toEqual([1, 5])
    expect(Array.from(filterPredictions(p, true, 'mistakes', { truth: 1, predicted: 1 }))).toEqual([])
  })
  it('ignores class narrowing for regression', () => {
    const reg = { rowIndex: Uint32Array.from([0, 1]), truth: Float32Array.from([1, 2]), predicted: Float32Array.from([1, 3]), confidence: null }
    expect(Array.from(filterPredictions(reg, false, 'all', { truth: 0 }))).toEqual([0, 1])
  })
})

describe('scatterPoints', () => {
  it('pairs actual and predicted values', () => {
    const reg = { rowIndex: Uint32Array.from([0, 1, 2]), truth: Float32Array.from([1, 2, 3]), predicted: Float32Array.from([1.5, 2, 0]), confidence: null }
    expect(scatterPoints(reg)).toEqual({ actual: [1, 2, 3], predicted: [1.5, 2, 0] })
  })
  it('thins a big split evenly to at most the limit', () => {
    const n = 10_001
    const reg = { rowIndex: new Uint32Array(n), truth: Float32Array.from({ length: n }, (_, i) => i), predicted: new Float32Array(n), confidence: null }
    const s = scatterPoints(reg, 2000)
    expect(s.actual.length).toBeLessThanOrEqual(2000)
    expect(s.actual.length).toBeGreaterThan(1500)
    expect(s.actual[0]).toBe(0)
    expect(s.actual[1]! - s.actual[0]!).toBe(s.actual[2]! - s.actual[1]!)
  })
})

describe('pickFinalCheckpoint', () => {
  const cps = [
    { id: 5, step: 30, isBest: false },
    { id: 4, step: 20, isBest: true },
    { id: 3, step: 10, isBest: true },
  ]
  it('is the newest checkpoint, or the newest best one when the run restores its best weights', () => {
    expect(pickFinalCheckpoint(cps, false)?.id).toBe(5)
    expect(pickFinalCheckpoint(cps, true)?.id).toBe(4)
  })
  it('falls back to the newest when none is marked best, and is null without checkpoints', () => {
    expect(pickFinalCheckpoint(cps.map((c) => ({ ...c, isBest: false })), true)?.id).toBe(5)
    expect(pickFinalCheckpoint([], false)).toBeNull()
  })
  it('breaks a step tie by the higher id (a mid-epoch and an epoch-end checkpoint at one step)', () => {
    expect(pickFinalCheckpoint([{ id: 7, step: 40, isBest: false }, { id: 8, step: 40, isBest: false }], false)?.id).toBe(8)
  })
})
