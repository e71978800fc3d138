import { describe, expect, it } from 'vitest'
import { bestSoFar, objectiveValue } from '../../../common/studies/objective'

const series = [
  { epoch: 0, value: 0.6 },
  { epoch: 1, value: 0.8 },
  { epoch: 2, value: NaN },
  { epoch: 3, value: 0.7 },
]

describe('objective', () => {
  it('takes the best value of the metric over the epochs, min or max', () => {
    expect(objectiveValue(series, { metric: 'val_accuracy', direction: 'max' })).toBe(0.8)
    expect(objectiveValue(series, { metric: 'val_loss', direction: 'min' })).toBe(0.6)
  })
  it('can stop at a rung: only epochs before it count', () => {
    expect(objectiveValue(series, { metric: 'val_accuracy', direction: 'max' }, 1)).toBe(0.6)
  })
  it('is null for a metric never logged', () => {
    expect(objectiveValue(undefined, { metric: 'x', direction: 'min' })).toBeNull()
    expect(objectiveValue([{ epoch: 0, value: NaN }], { metric: 'x', direction: 'min' })).toBeNull()
  })
  it('tracks the best so far', () => {
    expect(bestSoFar([3, null, 2, 4, 1], 'min')).toEqual([3, 3, 2, 2, 1])
    expect(bestSoFar([null, 3, 5, 4], 'max')).toEqual([null, 3, 5, 5])
  })
})
