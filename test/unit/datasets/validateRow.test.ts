import { describe, expect, it } from 'vitest'
import { checkRow } from '../../../main/datasets/recipe/validateRow'
import type { Recipe } from '../../../common/datasets/recipeTypes'

// A fitted recipe for a cars table: horsepower (mean-filled), year (a date, median-filled),
// weight (rows without it dropped) and origin (a category, mode-filled).
const recipe: Recipe = {
  formatVersion: 1,
  decimal: '.',
  target: { column: 'mpg', source: 0, task: 'regression', valueType: 'float' },
  steps: [
    { kind: 'numeric', column: 'horsepower', source: 1, valueType: 'float', transform: 'standardize', missing: 'mean', center: 104.5, scale: 38.5, fill: 104.46938, width: 1 },
    { kind: 'numeric', column: 'built', source: 2, valueType: 'date', transform: 'standardize', missing: 'median', center: 0, scale: 1, fill: 19723, width: 1 },
    { kind: 'numeric', column: 'weight', source: 3, valueType: 'float', transform: 'standardize', missing: 'drop', center: 2970, scale: 847, fill: 0, width: 1 },
    { kind: 'categorical', column: 'origin', source: 4, transform: 'onehot', missing: 'mode', categories: ['usa', 'japan', 'europe'], fill: 'usa', width: 3 },
  ],
  featureNames: ['horsepower', 'built', 'weight', 'origin=usa', 'origin=japan', 'origin=europe'],
  width: 6,
  fittedOn: { split: 'train', rows: 300 },
}

describe('checkRow (Try it)', () => {
  it('accepts a complete, readable row with nothing imputed', () => {
    expect(checkRow(recipe, { horsepower: '130', built: '2024-01-02', weight: '3504', origin: 'japan' })).toEqual({ errors: [], imputed: [] })
  })

  it('names each column whose value cannot be read', () => {
    const r = checkRow(recipe, { horsepower: 'abc', built: 'yesterday', weight: '3504', origin: 'Mars' })
    expect(r.errors.map((e) => e.column)).toEqual(['horsepower', 'built', 'origin'])
    expect(r.errors[0]!.message).toBe('horsepower: "abc" is not a number.')
    expect(r.errors[1]!.message).toContain('is not a date')
    expect(r.errors[2]!.message).toBe('origin: "Mars" is not a category training saw ("usa", "japan", "europe").')
  })

  it('requires a column whose missing rows training dropped, and reports what it fills in for the others', () => {
    const r = checkRow(recipe, { horsepower: '', built: '', weight: '', origin: 'usa' })
    expect(r.errors).toEqual([{ column: 'weight', message: 'weight is required: training dropped rows without it.' }])
    expect(r.imputed).toEqual([
      { column: 'horsepower', value: '104.469', strategy: 'mean' },
      { column: 'built', value: '2024-01-01', strategy: 'median' },
    ])
  })

  it('reports a filled category, and treats missing markers like "NA" as empty', () => {
    const r = checkRow(recipe, { horsepower: '90', built: '2020-05-01', weight: '2000', origin: 'NA' })
    expect(r.errors).toEqual([])
    expect(r.imputed).toEqual([{ column: 'origin', value: 'usa', strategy: 'mode' }])
  })

  it('refuses a row with no value at all', () => {
    const noDrop: Recipe = { ...recipe, steps: recipe.steps.filter((s) => s.missing !== 'drop') }
    const r = checkRow(noDrop, {})
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]!.column).toBe('')
    expect(r.errors[0]!.message).toMatch(/at least one value/)
  })
})
