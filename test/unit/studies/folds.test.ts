import { describe, expect, it } from 'vitest'
import { assignFolds, meanStd } from '../../../main/studies/folds'

describe('k-fold assignment', () => {
  it('gives each row exactly one fold, covering all rows, with sizes within one', () => {
    const folds = assignFolds(103, 5, 42)
    expect(folds).toHaveLength(103)
    const sizes = [0, 0, 0, 0, 0]
    for (const f of folds) sizes[f]++
    expect(sizes.reduce((a, b) => a + b)).toBe(103)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
  })

  it('is seeded: same seed same folds, another seed others', () => {
    expect(assignFolds(50, 3, 1)).toEqual(assignFolds(50, 3, 1))
    expect(assignFolds(50, 3, 1)).not.toEqual(assignFolds(50, 3, 2))
  })

  it('stratifies: every fold holds each class in proportion', () => {
    // 60 of class 0, 30 of class 1, 9 of class 2, interleaved.
    const labels = Array.from({ length: 99 }, (_, i) => (i % 11 === 0 ? 2 : i % 3 === 0 ? 1 : 0))
    const counts = labels.reduce((m, l) => ((m[l] = (m[l] ?? 0) + 1), m), {} as Record<number, number>)
    const folds = assignFolds(99, 3, 9, labels)
    for (const cls of [0, 1, 2]) {
      for (let f = 0; f < 3; f++) {
        const inFold = labels.filter((l, i) => l === cls && folds[i] === f).length
        expect(Math.abs(inFold - counts[cls] / 3)).toBeLessThanOrEqual(1)
      }
    }
  })

  it('refuses k below 2 and more folds than rows', () => {
    expect(() => assignFolds(10, 1, 0)).toThrow(/at least 2/)
    expect(() => assignFolds(2, 3, 0)).toThrow(/2 rows cannot be split into 3 folds/)
  })

  it('summarizes folds as mean and sample std', () => {
    expect(meanStd([1, 2, 3])).toEqual({ mean: 2, std: 1 })
    expect(meanStd([5])).toEqual({ mean: 5, std: 0 })
  })
})
