import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readChunks, type TabularBatch } from '../../../main/datasets/chunks/read'
import { importCsv } from '../../../main/datasets/csv/import'
import { seededRandom } from '../../../common/datasets/prng'
import { applyRecipe } from '../../../main/datasets/recipe/apply'
import { refitRecipe } from '../../../main/datasets/recipe/refit'
import { chooseVocabulary, countTokens, tokenize, writeTokens } from '../../../main/datasets/recipe/tokens'
import type { TokensStep } from '../../../common/datasets/recipeTypes'
import { expectAppError, tempFile, tempStore } from './support'

const WORDS = ['good', 'bad', 'fine', 'okay', 'great', 'awful', 'meh', 'nice', 'poor', 'top', 'low', 'yes', 'no', 'maybe', 'Ünïcode', 'été']

/** Writes a CSV of `n` rows: a quoted text column (words, punctuation, sometimes missing) and a 2-class label. */
function textCsv(n: number, seed: number, unique: (i: number) => boolean = () => true): { path: string; rows: string[][] } {
  const r = seededRandom(seed)
  const rows: string[][] = []
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: 1 + Math.floor(r() * 12) }, () => WORDS[Math.floor(r() * WORDS.length)])
    const sep = r() < 0.5 ? ' ' : ', '
    const missing = r() < 0.03
    // Rows that need not be unique come from a pool of at most 256 texts.
    const text = missing ? '' : unique(i) ? `${words.join(sep)} #${i}!` : `${WORDS[i % 16]} ${WORDS[(i * 7) % 16]}.`
    rows.push([text, r() < 0.5 ? 'pos' : 'neg'])
  }
  const path = tempFile('text.csv')
  writeFileSync(path, `review,label\n${rows.map(([t, l]) => `"${t}",${l}`).join('\n')}\n`)
  return { path, rows }
}

function allBatches(db: ReturnType<typeof tempStore>, versionId: number, split: 'train' | 'all'): TabularBatch[] {
  return [...readChunks(db, versionId, split)] as TabularBatch[]
}

describe('tokenizer', () => {
  it('lower-cases and splits on runs of anything but Unicode letters and digits', () => {
    expect(tokenize("Great -- it's ÉTÉ, 2024!  Ünïcode_ok")).toEqual(['great', 'it', 's', 'été', '2024', 'ünïcode', 'ok'])
    expect(tokenize('  ...  ')).toEqual([])
  })

  it('keeps the most frequent tokens, ties alphabetically, leaving ids 0 and 1 for padding and unknown', () => {
    const counts = new Map<string, number>()
    countTokens('b a c b a d', counts)
    expect(chooseVocabulary(counts, 4)).toEqual(['a', 'b'])
    expect(chooseVocabulary(counts, 100)).toEqual(['a', 'b', 'c', 'd'])
  })

  it('pads and truncates after, with 1 for out-of-vocabulary tokens', () => {
    const step: TokensStep = { kind: 'tokens', column: 't', source: 0, transform: 'tokens', missing: 'constant', vocabSize: 4, sequenceLength: 4, vocabulary: ['a', 'b'], width: 4 }
    const ids = new Map([['a', 2], ['b', 3]])
    const out = new Float32Array(6).fill(9)
    writeTokens(step, ids, 'A zz', out, 1)
    expect([...out]).toEqual([9, 2, 1, 0, 0, 9])
    writeTokens(step, ids, 'b a b a b a', out, 1)
    expect([...out]).toEqual([9, 3, 2, 3, 2, 9])
  })
})

describe('text columns as tokens', () => {
  it('stay ignored unless chosen as tokens', async () => {
    const { path } = textCsv(50, 3)
    const r = await importCsv(tempStore(), path)
    expect(r.columns[0]).toMatchObject({ name: 'review', type: 'text', storage: null })
    expect(r.recipe.width).toBe(0)
  })

  it('fit the vocabulary on the training split only, deterministically, and read back as applyRecipe encodes', async () => {
    const { path, rows } = textCsv(400, 7)
    const db = tempStore()
    const options = { recipe: { target: 'label', columns: { review: { transform: 'tokens' as const, vocabSize: 12, sequenceLength: 6 } } } }
    const r = await importCsv(db, path, options)
    const again = await importCsv(tempStore(), path, options)
    expect(again.recipe).toEqual(r.recipe)
    expect(r.columns[0]).toMatchObject({ type: 'text', storage: 'text' })
    expect(r.recipe.width).toBe(6)
    const step = r.recipe.steps[0] as TokensStep
    expect(step).toMatchObject({ kind: 'tokens', vocabSize: 12, sequenceLength: 6 })
    const counts = new Map<string, number>()
    for (const b of allBatches(db, r.versionId, 'train')) for (const i of b.rowIndex) countTokens(rows[i][0], counts)
    expect(step.vocabulary).toEqual(chooseVocabulary(counts, 12))
    expect(step.vocabulary).toHaveLength(10)
    let seen = 0
    for (const b of allBatches(db, r.versionId, 'all')) {
      b.rowIndex.forEach((row, k) => {
        const x = applyRecipe(r.recipe, { review: rows[row][0], label: rows[row][1] })
        expect([...(x as Float32Array)]).toEqual([...b.features.subarray(k * 6, k * 6 + 6)])
        seen++
      })
    }
    expect(seen).toBe(400)
    const typed = applyRecipe(r.recipe, { review: `${step.vocabulary[0].toUpperCase()} zzzunknown` })
    expect([...(typed as Float32Array)]).toEqual([2, 1, 0, 0, 0, 0])
  })

  it('keep their text across chunks, before and after the column has too many values to count', async () => {
    // 5,000 rows (two chunks): the first chunk repeats a few texts, the second makes every text new.
    const { path, rows } = textCsv(5000, 11, (i) => i >= 4096)
    const db = tempStore()
    const r = await importCsv(db, path, { columnTypes: { review: 'text' }, recipe: { target: 'label', columns: { review: { transform: 'tokens', sequenceLength: 8 } } } })
    const counts = new Map<string, number>()
    for (const b of allBatches(db, r.versionId, 'train')) for (const i of b.rowIndex) countTokens(rows[i][0], counts)
    expect((r.recipe.steps[0] as TokensStep).vocabulary).toEqual(chooseVocabulary(counts, 10_000))
    expect((r.recipe.steps[0] as TokensStep).vocabulary.length).toBeGreaterThan(500)
    let seen = 0
    for (const b of allBatches(db, r.versionId, 'all')) {
      b.rowIndex.forEach((row, k) => {
        const x = applyRecipe(r.recipe, { review: rows[row][0] }) as Float32Array
        expect([...x]).toEqual([...b.features.subarray(k * 8, k * 8 + 8)])
        seen++
      })
    }
    expect(seen).toBe(5000)
  })

  it('refuse a refit to tokens when the version did not store the text', async () => {
    const { path } = textCsv(40, 5)
    const db = tempStore()
    const r = await importCsv(db, path)
    await expectAppError(Promise.resolve().then(() => refitRecipe(db, r.versionId, { target: 'label', columns: { review: { transform: 'tokens' } } })), 'invalid_input', 'import the file again')
  })
})
