import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readChunks, type TabularBatch } from '../../../main/datasets/chunks/read'
import { importCsv } from '../../../main/datasets/csv/import'
import { seededRandom } from '../../../common/datasets/prng'
import { applyRecipe, encodeTarget } from '../../../main/datasets/recipe/apply'
import { refitRecipe } from '../../../main/datasets/recipe/refit'
import type { CategoricalStep, NumericStep, Recipe } from '../../../common/datasets/recipeTypes'
import { expectAppError, tempFile, tempStore } from './support'

const HEADER = ['num', 'int', 'cat', 'flag', 'day', 'note', 'target']

/** A mixed CSV with missing cells everywhere, as text rows (header first). */
function mixedRows(n: number, seed = 5): string[][] {
  const r = seededRandom(seed)
  const rows = [HEADER]
  for (let i = 0; i < n; i++) {
    const miss = () => r() < 0.08
    rows.push([
      miss() ? '' : ((r() - 0.5) * 200).toFixed(3),
      miss() ? 'NA' : String(Math.floor(r() * 50)),
      miss() ? '' : ['red', 'green', 'blue', 'teal'][Math.floor(r() * 4)],
      miss() ? '' : r() < 0.4 ? 'TRUE' : 'false',
      r() < 0.03 ? '' : `2020-01-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`,
      `note ${i} ${Math.floor(r() * 1e6)}`,
      ['a', 'b', 'c'][Math.floor(r() * 3)],
    ])
  }
  return rows
}

function writeCsv(rows: string[][]): string {
  const path = tempFile('mixed.csv')
  writeFileSync(path, rows.map((x) => x.join(',')).join('\n') + '\n')
  return path
}

function allBatches(db: ReturnType<typeof tempStore>, versionId: number, split: 'train' | 'validation' | 'test' | 'all'): TabularBatch[] {
  return [...readChunks(db, versionId, split)] as TabularBatch[]
}

describe('the recipe', () => {
  it('fills with the mode of the training values: small integers, large numbers, fractions and -0', async () => {
    const r = seededRandom(9)
    const rows = [['small', 'mixed', 'large', 'target']]
    for (let i = 0; i < 4000; i++) {
      const m = r()
      rows.push([
        String(Math.floor(r() * 7) - 3),
        m < 0.3 ? '5000' : m < 0.5 ? '2.5' : m < 0.6 ? '-0' : String(Math.floor(r() * 900) - 450),
        i % 5 === 0 ? '' : String([1500, -2000, 7, -2000][i % 4]),
        ['a', 'b'][i % 2],
      ])
    }
    const db = tempStore()
    const res = await importCsv(db, writeCsv(rows), { recipe: { target: 'target', columns: { small: { missing: 'mode' }, mixed: { missing: 'mode' }, large: { missing: 'mode' } } } })
    const train = new Set<number>()
    for (const b of allBatches(db, res.versionId, 'train')) for (let k = 0; k < b.rows; k++) train.add(b.rowIndex[k])
    const expectedMode = (c: number): number => {
      const counts = new Map<number, number>()
      for (const i of train) if (rows[i + 1][c] !== '') counts.set(Number(rows[i + 1][c]), (counts.get(Number(rows[i + 1][c])) ?? 0) + 1)
      let best = 0
      let bestCount = -1
      for (const [v, n] of counts) if (n > bestCount || (n === bestCount && v < best)) [best, bestCount] = [v, n]
      return best
    }
    const fill = (name: string) => (res.recipe.steps.find((st) => st.column === name) as NumericStep).fill
    expect(fill('small')).toBe(expectedMode(0))
    expect(fill('mixed')).toBe(5000)
    expect(fill('mixed')).toBe(expectedMode(1))
    expect(fill('large')).toBe(-2000)
    expect(fill('large')).toBe(expectedMode(2))
  })

  it('fills a boolean with its more common training value, past the median sample\'s size', async () => {
    const r = seededRandom(4)
    const rows = [['flag', 'other', 'target']]
    // More training rows than MEDIAN_SAMPLE; 'true' is the mode only among the training rows' first half.
    for (let i = 0; i < 30_000; i++) rows.push([r() < 0.1 ? '' : r() < (i < 15_000 ? 0.7 : 0.4) ? 'true' : 'false', r() < 0.5 ? 'yes' : 'no', ['a', 'b'][i % 2]])
    const db = tempStore()
    const res = await importCsv(db, writeCsv(rows), { recipe: { target: 'target', columns: { other: { missing: 'mode' } } } })
    const counts = [
      [0, 0],
      [0, 0],
    ]
    for (const b of allBatches(db, res.versionId, 'train')) {
      for (let k = 0; k < b.rows; k++) {
        const row = rows[b.rowIndex[k] + 1]
        if (row[0] !== '') counts[0][row[0] === 'true' ? 1 : 0]++
        counts[1][row[1] === 'yes' ? 1 : 0]++
      }
    }
    const fill = (name: string) => (res.recipe.steps.find((st) => st.column === name) as NumericStep).fill
    expect(fill('flag')).toBe(counts[0][1] > counts[0][0] ? 1 : 0)
    expect(fill('other')).toBe(counts[1][1] > counts[1][0] ? 1 : 0)
    expect(counts[0][0] + counts[0][1]).toBeGreaterThan(20_000)
  })

  it('fits each numeric column the same whether fitted beside others or alone', async () => {
    const r = seededRandom(21)
    const rows = [['a', 'b', 'c', 'target']]
    for (let i = 0; i < 5000; i++) rows.push([r() < 0.1 ? '' : (r() * 1e4 - 3e3).toFixed(4), r() < 0.2 ? '' : String(Math.floor(r() * 90)), (r() * 1e-3).toExponential(5), ['a', 'b'][i % 2]])
    const path = writeCsv(rows)
    const db = tempStore()
    const together = await importCsv(db, path, { recipe: { target: 'target', columns: { b: { transform: 'minmax' } } } })
    const steps = together.recipe.steps as NumericStep[]
    expect(steps.map((st) => st.column)).toEqual(['a', 'b', 'c'])
    for (const name of ['a', 'b', 'c']) {
      const alone = await importCsv(db, path, { recipe: { target: 'target', ignore: ['a', 'b', 'c'].filter((n) => n !== name), columns: name === 'b' ? { b: { transform: 'minmax' } } : {} } })
      const step = alone.recipe.steps[0] as NumericStep
      const mine = steps.find((st) => st.column === name) as NumericStep
      expect([step.center, step.scale, step.fill], name).toEqual([mine.center, mine.scale, mine.fill])
    }
  })

  it('gives bit-identical features and labels at training (chunks) and prediction (applyRecipe) time', async () => {
    const db = tempStore()
    const rows = mixedRows(9000)
    const r = await importCsv(db, writeCsv(rows), {
      recipe: {
        target: 'target',
        columns: {
          num: { transform: 'standardize', missing: 'median' },
          int: { transform: 'minmax', missing: 'mode' },
          cat: { transform: 'onehot', missing: 'constant', constant: 'unseen' },
          flag: { missing: 'mode' },
          day: { missing: 'drop' },
        },
      },
    })
    const recipe = r.recipe
    expect(recipe.featureNames).toEqual(['num', 'int', 'cat=blue', 'cat=green', 'cat=red', 'cat=teal', 'flag', 'day'].filter((n) => recipe.featureNames.includes(n)))
    expect(recipe.width).toBe(8)
    const seen = new Map<number, { f: Float32Array; label: number }>()
    for (const b of allBatches(db, r.versionId, 'all')) {
      for (let k = 0; k < b.rows; k++) seen.set(b.rowIndex[k], { f: b.features.slice(k * b.width, (k + 1) * b.width), label: b.labels[k] })
    }
    let dropped = 0
    for (let i = 1; i < rows.length; i++) {
      const raw = Object.fromEntries(HEADER.map((h, c) => [h, rows[i][c]]))
      const f = applyRecipe(recipe, raw)
      const stored = seen.get(i - 1)
      if (f === null) {
        dropped++
        expect(stored, `row ${i} is dropped at prediction but not in training`).toBeUndefined()
        expect(rows[i][4]).toBe('')
        continue
      }
      expect(stored, `row ${i}`).toBeDefined()
      expect(Buffer.from(f.buffer).equals(Buffer.from((stored as { f: Float32Array }).f.buffer)), `row ${i} features`).toBe(true)
      expect(encodeTarget(recipe, raw)).toBe(stored?.label)
    }
    expect(dropped).toBeGreaterThan(100)
    expect(seen.size).toBe(9000 - dropped)
  })

  it('is fitted on the training split only', async () => {
    const db = tempStore()
    const rows = mixedRows(5000, 9)
    const r = await importCsv(db, writeCsv(rows), { recipe: { target: 'target', columns: { int: { transform: 'minmax' } } } })
    const train = new Set<number>()
    for (const b of allBatches(db, r.versionId, 'train')) for (const i of b.rowIndex) train.add(i)
    const nums = [...train].map((i) => rows[i + 1][0]).filter((v) => v !== '').map((v) => Math.fround(Number(v)))
    const mean = nums.reduce((s, x) => s + x, 0) / nums.length
    const std = Math.sqrt(nums.reduce((s, x) => s + (x - mean) ** 2, 0) / nums.length)
    const num = r.recipe.steps.find((s) => s.column === 'num') as NumericStep
    expect(num).toMatchObject({ transform: 'standardize', missing: 'mean' })
    expect(num.center).toBeCloseTo(mean, 9)
    expect(num.scale).toBeCloseTo(std, 9)
    expect(num.fill).toBe(num.center)
    const ints = [...train].map((i) => rows[i + 1][1]).filter((v) => v !== 'NA').map(Number)
    const int = r.recipe.steps.find((s) => s.column === 'int') as NumericStep
    expect([int.center, int.scale]).toEqual([Math.min(...ints), Math.max(...ints) - Math.min(...ints)])
    expect(r.recipe.fittedOn).toEqual({ split: 'train', rows: train.size })
    // The whole-file mean differs from the training mean: proof the fit did not peek.
    const all = rows.slice(1).map((x) => x[0]).filter((v) => v !== '').map((v) => Math.fround(Number(v)))
    expect(all.reduce((s, x) => s + x, 0) / all.length).not.toBeCloseTo(mean, 9)
  })

  it('fills missing values with the fitted median, mode or constant, and encodes categories', () => {
    const recipe: Recipe = {
      formatVersion: 1,
      decimal: '.',
      target: { column: 'y', source: 3, task: 'regression', valueType: 'float' },
      steps: [
        { kind: 'numeric', column: 'a', source: 0, valueType: 'float', transform: 'standardize', missing: 'median', center: 10, scale: 2, fill: 12, width: 1 },
        { kind: 'categorical', column: 'c', source: 1, transform: 'onehot', missing: 'mode', categories: ['x', 'y', 'z'], fill: 'y', width: 3 },
        { kind: 'categorical', column: 'd', source: 2, transform: 'label', missing: 'constant', categories: ['p', 'q'], fill: 'q', width: 1 },
      ],
      featureNames: ['a', 'c=x', 'c=y', 'c=z', 'd'],
      width: 5,
      fittedOn: { split: 'train', rows: 10 },
    }
    expect(Array.from(applyRecipe(recipe, { a: '14', c: 'z', d: 'p' }) ?? [])).toEqual([2, 0, 0, 1, 0])
    expect(Array.from(applyRecipe(recipe, { a: '', c: 'NA', d: null }) ?? [])).toEqual([1, 0, 1, 0, 1])
    expect(Array.from(applyRecipe(recipe, { a: 8, c: 'never seen', d: 'nope' }) ?? [])).toEqual([-1, 0, 0, 0, -1])
    expect(encodeTarget(recipe, { y: ' 2.5 ' })).toBe(2.5)
    expect(encodeTarget(recipe, { y: 'n/a' })).toBeNull()
    const dropping: Recipe = { ...recipe, steps: [{ ...(recipe.steps[1] as CategoricalStep), missing: 'drop' }], width: 3 }
    expect(applyRecipe(dropping, { c: '' })).toBeNull()
  })

  it('uses label encoding for many categories and one-hot for few, by default', async () => {
    const db = tempStore()
    const rows = [['many', 'few', 'y']]
    for (let i = 0; i < 600; i++) rows.push([`k${i % 60}`, ['u', 'v'][i % 2], String(i % 3)])
    const r = await importCsv(db, writeCsv(rows))
    expect(r.recipe.steps.map((s) => [s.column, s.kind === 'categorical' ? s.transform : s.transform, s.width])).toEqual([
      ['many', 'label', 1],
      ['few', 'onehot', 2],
    ])
    expect(r.recipe.target).toMatchObject({ column: 'y', task: 'classification', classes: ['0', '1', '2'] })
  })

  it('treats a float target as regression and an explicit task as given', async () => {
    const db = tempStore()
    const rows = [['x', 'y']]
    for (let i = 0; i < 50; i++) rows.push([String(i * 2), (i * 1.5).toFixed(1)])
    const r = await importCsv(db, writeCsv(rows), { recipe: { target: 'y' } })
    expect(r.recipe.target).toMatchObject({ task: 'regression' })
    expect(r.split.stratifiedBy).toBeNull()
    const labels = allBatches(db, r.versionId, 'all').flatMap((b) => Array.from(b.labels))
    expect(labels.slice(0, 3)).toEqual([0, 1.5, 3])
    await expectAppError(importCsv(db, writeCsv(rows), { recipe: { target: 'y', columns: { x: { missing: 'constant' } } } }), 'invalid_input', 'needs a constant value')
  })
})

describe('refitRecipe', () => {
  it('fits a recipe for another target from the stored chunks, the same as importing with it', async () => {
    const db = tempStore()
    const rows = mixedRows(3000, 21)
    const path = writeCsv(rows)
    const a = await importCsv(db, path, { recipe: { target: 'target' } })
    const spec = { target: 'int', task: 'classification' as const, ignore: ['target'] }
    const refit = refitRecipe(db, a.versionId, spec)
    expect(refit.target).toMatchObject({ column: 'int', task: 'classification' })
    expect(refit.target?.classes).toEqual(Array.from({ length: 50 }, (_, i) => String(i)))
    // Same split (same seed, same target for stratification) gives the same fit as a fresh import.
    const b = await importCsv(db, path, { recipe: spec, split: { stratify: false } })
    const c = await importCsv(db, path, { recipe: { target: 'target' }, split: { stratify: false } })
    expect(refitRecipe(db, c.versionId, spec)).toEqual(b.recipe)
    // And training can read the version through it.
    const batches = [...readChunks(db, a.versionId, 'train', refit)] as TabularBatch[]
    expect(batches[0].width).toBe(refit.width)
    expect(Math.max(...batches.flatMap((x) => Array.from(x.labels)))).toBeLessThan(50)
  })

  it('refuses image versions and unknown ones', async () => {
    const db = tempStore()
    await expectAppError(Promise.resolve().then(() => refitRecipe(db, 42, {})), 'not_found', 'Dataset version 42 does not exist')
  })
})
