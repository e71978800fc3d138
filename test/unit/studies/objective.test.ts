import { describe, expect, it } from 'vitest'
import { bestSoFar, foldObjective, objectiveValue } from '../../../common/studies/objective'
import { requests } from '../../../common/contract'
import { CPU_CONFIG } from '../training/support'

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

describe('cross-validated objective', () => {
  it('is the mean and sample std over the folds of each fold objective', () => {
    // Each fold's objective is its own best epoch (max here); the trial's is their mean.
    const folds = [
      [0.5, 0.9, 0.7],
      [0.6, 0.8],
      [0.95, 0.4],
    ].map((vals) => objectiveValue(vals.map((value, epoch) => ({ epoch, value })), { metric: 'val_accuracy', direction: 'max' }))
    expect(folds).toEqual([0.9, 0.8, 0.95])
    const r = foldObjective(folds)!
    expect(r.mean).toBeCloseTo((0.9 + 0.8 + 0.95) / 3, 12)
    expect(r.std).toBeCloseTo(Math.sqrt(((0.9 - r.mean) ** 2 + (0.8 - r.mean) ** 2 + (0.95 - r.mean) ** 2) / 2), 12)
  })

  it('is undefined until every fold has a value, so a trial is never ranked on part of its folds', () => {
    expect(foldObjective([0.3, null, 0.2])).toBeNull()
    expect(foldObjective([0.3, NaN])).toBeNull()
    expect(foldObjective([])).toBeNull()
    expect(foldObjective([0.25])).toEqual({ mean: 0.25, std: 0 })
  })

  it('refuses ASHA and the cv strategy with a cross-validated objective, in the contract, naming why', () => {
    const base = { name: 's', modelVersionId: 1, datasetVersionId: 1, config: CPU_CONFIG, space: { learningRate: { kind: 'choice', values: [0.1] } } }
    const cv = { metric: 'val_loss', direction: 'min', cv: { k: 3, seed: 1 } }
    const asha = requests['studies.create'].input.safeParse({ ...base, strategy: { kind: 'asha', seed: 1 }, objective: cv })
    expect(asha.success).toBe(false)
    expect(asha.error?.issues[0]).toMatchObject({ path: ['objective', 'cv'], message: expect.stringMatching(/ASHA cannot use a cross-validated objective/) })
    expect(requests['studies.create'].input.safeParse({ ...base, strategy: { kind: 'cv', k: 3, seed: 1 }, objective: cv }).success).toBe(false)
    expect(requests['studies.create'].input.safeParse({ ...base, strategy: { kind: 'grid' }, objective: cv }).success).toBe(true)
    expect(requests['studies.create'].input.safeParse({ ...base, strategy: { kind: 'random', seed: 2 }, objective: { ...cv, cv: { k: 1, seed: 1 } } }).success).toBe(false)
  })
})
