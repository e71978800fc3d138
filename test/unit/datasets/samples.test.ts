import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importCsv } from '../../../main/datasets/csv/import'
import { importImageFolder } from '../../../main/datasets/images/import'
import { writeSampleDatasets } from '../../../main/datasets/samples'
import { tempDir } from '../../helpers/tmp'
import { tempStore } from './support'

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .sort()
}

function fingerprint(dir: string): { hash: string; bytes: number; count: number } {
  const h = createHash('sha256')
  let bytes = 0
  const list = files(dir)
  for (const f of list) {
    const b = readFileSync(f)
    bytes += b.length
    h.update(relative(dir, f)).update(b)
  }
  return { hash: h.digest('hex'), bytes, count: list.length }
}

describe('sample datasets', () => {
  it('overlapping first calls (a page reloaded mid-write) both get the whole set', async () => {
    const dir = tempDir('nw-samples-')
    const reference = tempDir('nw-samples-')
    await writeSampleDatasets(reference)
    const [first, second, third] = await Promise.all([writeSampleDatasets(dir), writeSampleDatasets(dir), writeSampleDatasets(dir)])
    expect(second).toEqual(first)
    expect(third).toEqual(first)
    expect(fingerprint(dir)).toEqual(fingerprint(reference))
  })

  it('are generated the same way every time, small, and only once', async () => {
    const a = tempDir('nw-samples-')
    const b = tempDir('nw-samples-')
    const listed = await writeSampleDatasets(a)
    await writeSampleDatasets(b)
    const fa = fingerprint(a)
    expect(fa).toEqual(fingerprint(b))
    expect(fa.count).toBe(182)
    expect(fa.bytes).toBeLessThan(150_000)
    expect(listed.map((s) => [s.name, s.kind, s.path])).toEqual([
      ['flowers', 'csv', join(a, 'flowers.csv')],
      ['shapes', 'images', join(a, 'shapes')],
      ['reviews', 'csv', join(a, 'reviews.csv')],
    ])
    const before = statSync(join(a, 'shapes', 'circle', 'circle_000.png')).mtimeMs
    await writeSampleDatasets(a)
    expect(statSync(join(a, 'shapes', 'circle', 'circle_000.png')).mtimeMs).toBe(before)
  })

  it('import as ready-to-train classification datasets', async () => {
    const dir = tempDir('nw-samples-')
    const [flowers, shapes, reviews] = await writeSampleDatasets(dir)
    const db = tempStore()
    const f = await importCsv(db, flowers.path)
    expect(f).toMatchObject({ rowCount: 150, split: { counts: { train: 120, validation: 15, test: 15 } } })
    expect(f.recipe).toMatchObject({ width: 4, target: { column: 'species', task: 'classification', classes: ['setosa', 'versicolor', 'virginica'] } })
    const s = await importImageFolder(db, shapes.path)
    expect(s).toMatchObject({ rowCount: 180, classes: ['circle', 'square', 'triangle'], skippedTotal: 0 })
    // The reviews import with the sample's own column choices, as the import form starts them.
    const r = await importCsv(db, reviews.path, { recipe: { columns: reviews.columns } })
    expect(r.columns[0]).toMatchObject({ name: 'review', type: 'text', storage: 'text' })
    expect(r.recipe).toMatchObject({ width: 40, target: { column: 'sentiment', task: 'classification', classes: ['negative', 'positive'] } })
    expect(r.recipe.steps[0]).toMatchObject({ kind: 'tokens', vocabSize: 500, sequenceLength: 40 })
  })
})
