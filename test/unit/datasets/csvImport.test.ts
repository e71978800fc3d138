import { readdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readChunks } from '../../../main/datasets/chunks/read'
import { importCsv } from '../../../main/datasets/csv/import'
import { binning } from '../../../main/datasets/csv/finalize'
import { seededRandom } from '../../../common/datasets/prng'
import { isCancelled } from '../../../main/datasets/errors'
import type { ImportProgress } from '../../../common/datasets/progress'
import type { TabularSchemaRecord } from '../../../common/datasets/types'
import { getDatasetVersion, listDatasets } from '../../../main/store/queries/datasets'
import { csvFixture, expectAppError, tableCounts, tempFile, tempStore } from './support'

/** A CSV of n rows: an id, a numeric x, a category and a label; a few cells missing. */
function writeRows(n: number): string {
  const path = tempFile('rows.csv')
  const lines = ['id,x,color,label']
  for (let i = 0; i < n; i++) lines.push(`${i + 1},${i % 7 === 0 ? '' : (i * 0.37).toFixed(2)},${['red', 'green', 'blue'][i % 3]},${i % 4 === 0 ? 'yes' : 'no'}`)
  writeFileSync(path, lines.join('\n') + '\n')
  return path
}

describe('importCsv', () => {
  it('stores a dataset, its version and its chunks, with types, stats, recipe and split', async () => {
    const db = tempStore()
    const r = await importCsv(db, csvFixture('basic.csv'), { recipe: { target: 'member' } })
    expect(r).toMatchObject({ name: 'basic', version: 1, rowCount: 4 })
    expect(tableCounts(db)).toMatchObject({ datasets: 1, dataset_versions: 1, dataset_chunks: 1 })
    const v = getDatasetVersion(db, r.versionId)
    if (!v || v.schema.kind !== 'tabular') throw new Error('no tabular version')
    expect(v.schema.columns.map((c) => [c.name, c.type])).toEqual([
      ['name', 'id'],
      ['age', 'integer'],
      ['score', 'float'],
      ['member', 'boolean'],
    ])
    expect(v.schema.source).toMatchObject({ file: csvFixture('basic.csv'), delimiter: ',', encoding: 'utf-8', header: true })
    expect(v.sourceHash).toMatch(/^[0-9a-f]{64}$/)
    expect(v.rowCount).toBe(4)
    expect(v.byteSize).toBeGreaterThan(0)
    expect(v.recipe?.target).toMatchObject({ column: 'member', task: 'classification', classes: ['false', 'true'] })
    // Two rows per class: largest-remainder rounding of 1.6 / 0.2 / 0.2 gives both to training.
    expect(v.split?.counts).toEqual({ train: 4, validation: 0, test: 0 })
    const [, age, score] = (v.stats as { columns: Record<string, unknown>[] }).columns
    expect(age).toMatchObject({ count: 4, missing: 0, min: 29, max: 52, mean: 39.5, unique: 4 })
    expect(score).toMatchObject({ count: 3, missing: 1, min: 78.25, max: 91.5 })
  })

  it('makes version N+1 when the same file is imported into the dataset again, and says it was seen', async () => {
    const db = tempStore()
    const first = await importCsv(db, csvFixture('basic.csv'))
    const second = await importCsv(db, csvFixture('basic.csv'), { datasetId: first.datasetId })
    expect(second).toMatchObject({ datasetId: first.datasetId, version: 2 })
    expect(second.sameSourceAs).toEqual([{ datasetId: first.datasetId, datasetName: 'basic', versionId: first.versionId, version: 1 }])
    const [d] = listDatasets(db)
    expect(d.versions.map((v) => v.version)).toEqual([2, 1])
    expect(d.totalBytes).toBe(first.byteSize + second.byteSize)
  })

  it('refuses a version from a CSV for an image dataset, and an unknown dataset', async () => {
    const db = tempStore()
    db.prepare("INSERT INTO datasets (name, kind, created_at, updated_at) VALUES ('pics', 'image', 1, 1)").run()
    await expectAppError(importCsv(db, csvFixture('basic.csv'), { datasetId: 1 }), 'invalid_input', 'holds image data')
    await expectAppError(importCsv(db, csvFixture('basic.csv'), { datasetId: 99 }), 'not_found', 'Dataset 99 does not exist')
  })

  describe('bad rows under "abort" (the default) stop the import, name the line and write nothing', () => {
    it.each([
      ['ragged.csv', {}, 'line 4: 4 fields where the header has 3'],
      ['unterminated.csv', {}, 'line 3: a quote opened on this line is never closed'],
      ['bad_quotes.csv', {}, 'line 3: a quoted field has text after its closing quote'],
      ['giant_field.csv', { maxFieldChars: 1000 }, 'line 3: field 2 has 2,000 characters, over the 1,000-character limit'],
    ])('%s', async (file, extra, message) => {
      const db = tempStore()
      await importCsv(db, csvFixture('basic.csv'))
      const before = tableCounts(db)
      const path = csvFixture(file)
      const e = await expectAppError(importCsv(db, path, extra), 'invalid_input', `${path}: ${message}`, 'choose to skip bad rows')
      expect(e.details).toMatchObject({ line: Number(/line (\d+)/.exec(message)?.[1]) })
      expect(tableCounts(db)).toEqual(before)
    })
  })

  it('skips bad rows under "skip" and stores the report with the version', async () => {
    const db = tempStore()
    const r = await importCsv(db, csvFixture('ragged.csv'), { onBadRow: 'skip' })
    expect(r.rowCount).toBe(3)
    expect(r.badRows.total).toBe(2)
    const schema = getDatasetVersion(db, r.versionId)?.schema as TabularSchemaRecord
    expect(schema.badRows.rows.map((b) => b.line)).toEqual([4, 5])
  })

  it('types the edge cases as documented in typing.ts', async () => {
    const db = tempStore()
    const r = await importCsv(db, csvFixture('typing.csv'), { recipe: { target: 'label' } })
    expect(Object.fromEntries(r.columns.map((c) => [c.name, c.type]))).toEqual({
      zip: 'categorical',
      big: 'float',
      flag: 'boolean',
      when: 'date',
      user_id: 'id',
      note: 'text',
      count: 'id',
      maybe: 'integer',
      ratio: 'float',
      label: 'categorical',
    })
    const col = (n: string) => r.columns.find((c) => c.name === n)
    expect(col('zip')?.categories).toEqual(['00123', '04567', '09999'])
    expect(col('big')?.stats).toMatchObject({ min: -7, max: 100_000 })
    expect(col('maybe')?.stats).toMatchObject({ count: 2, missing: 4, mean: 7.5 })
    expect(col('when')?.stats).toMatchObject({ minText: '2021-03-04', maxText: '2021-03-09' })
    expect(col('flag')?.stats).toMatchObject({ count: 6, mean: 0.5 })
    expect(r.recipe.featureNames).toEqual(['zip=00123', 'zip=04567', 'zip=09999', 'big', 'flag', 'when', 'maybe', 'ratio'].filter((n) => r.recipe.featureNames.includes(n)))
  })

  it('explains why a column that looked numeric is not, with the line', async () => {
    const db = tempStore()
    const path = tempFile('prices.csv')
    writeFileSync(path, 'price,y\n1.5,a\n2,b\nabout 3,a\n4,b\n')
    const r = await importCsv(db, path)
    expect(r.columns[0]).toMatchObject({ type: 'text', note: 'line 4 has "about 3", which is not a number' })
  })

  it('names the right line in notes when a wide file is profiled column by column', async () => {
    const db = tempStore()
    const path = tempFile('wide-note.csv')
    const cols = 70
    const lines = [Array.from({ length: cols }, (_, c) => `c${c}`).join(',')]
    for (let r = 0; r < 12; r++) lines.push(Array.from({ length: cols }, (_, c) => (c === 5 && r === 6 ? 'oops' : String((r * 7 + c) % 5))).join(','))
    lines.splice(3, 0, '')
    writeFileSync(path, lines.join('\n'))
    const r = await importCsv(db, path)
    // Row 7 of the data is on line 9: the header is line 1 and a blank line sits at line 4.
    expect(r.columns[5]).toMatchObject({ type: 'categorical', note: 'line 9 has "oops", which is not a number' })
  })

  it('applies type overrides, noting values that do not parse', async () => {
    const db = tempStore()
    const r = await importCsv(db, csvFixture('typing.csv'), { columnTypes: { count: 'integer', user_id: 'categorical', zip: 'integer' }, recipe: { target: 'label' } })
    const col = (n: string) => r.columns.find((c) => c.name === n)
    expect(col('count')).toMatchObject({ type: 'integer', inferredType: 'id', note: 'integer by choice (inferred id)' })
    expect(col('user_id')).toMatchObject({ type: 'categorical', categories: ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'] })
    expect(col('zip')?.note).toBe('integer by choice (inferred categorical); 6 values were not numbers and count as missing (first: "00123" on line 2)')
    expect(col('zip')?.stats).toMatchObject({ count: 0, missing: 6 })
  })

  it('refuses overrides and targets that do not fit, naming the column', async () => {
    const db = tempStore()
    const f = csvFixture('typing.csv')
    await expectAppError(importCsv(db, f, { columnTypes: { nope: 'float' } }), 'invalid_input', 'column type given for "nope", which is not a column')
    await expectAppError(importCsv(db, f, { recipe: { target: 'note' } }), 'invalid_input', 'column "note" is text; a target must be')
    await expectAppError(importCsv(db, f, { recipe: { target: 'ratio', task: 'classification' } }), 'invalid_input', 'column "ratio" is float; classification needs')
    await expectAppError(importCsv(db, f, { recipe: { target: 'label', ignore: ['zzz'] } }), 'invalid_input', 'ignored column "zzz" is not a column')
    await expectAppError(importCsv(db, f, { recipe: { target: 'label', columns: { note: { transform: 'onehot' } } } }), 'invalid_input', 'column "note" is free text and cannot be a feature; leave it out')
    await expectAppError(importCsv(db, f, { recipe: { target: 'label', columns: { zip: { missing: 'mean' } } } }), 'invalid_input', 'column "zip" is categorical: missing values can be filled')
    expect(tableCounts(db).datasets).toBe(0)
  })

  it('records the encoding it fell back to', async () => {
    const db = tempStore()
    const r = await importCsv(db, csvFixture('latin1.csv'))
    expect(r.dialect.encoding).toBe('windows-1252')
    const schema = getDatasetVersion(db, r.versionId)?.schema as TabularSchemaRecord
    expect(schema.source.encodingReason).toBe('not valid UTF-8 (byte 14); read as Windows-1252 (Latin-1)')
  })

  it('reports progress through the phases with rates and an ETA', async () => {
    const db = tempStore()
    const seen: ImportProgress[] = []
    await importCsv(db, writeRows(20_000), {}, (p) => seen.push(p))
    const phases = [...new Set(seen.map((p) => p.phase))]
    expect(phases).toEqual(['profiling', 'encoding', 'writing', 'done'])
    const last = seen[seen.length - 1]
    expect(last).toMatchObject({ phase: 'done', fraction: 1, etaSeconds: 0, itemsDone: 0, itemsTotal: 20_000 })
    expect(last.bytesDone).toBe(last.bytesTotal)
    for (let i = 1; i < seen.length; i++) expect(seen[i].fraction).toBeGreaterThanOrEqual(seen[i - 1].fraction)
  })

  it.each(['profiling', 'encoding'] as const)('a cancel during %s rolls everything back', async (phase) => {
    const db = tempStore()
    await importCsv(db, csvFixture('basic.csv'))
    const before = tableCounts(db)
    const ac = new AbortController()
    const path = writeRows(90_000)
    let caught: unknown
    try {
      await importCsv(db, path, {}, (p) => p.phase === phase && ac.abort(), ac.signal)
    } catch (e) {
      caught = e
    }
    expect(isCancelled(caught)).toBe(true)
    expect((caught as Error).message).toBe(`Import of ${path} was cancelled; nothing was written.`)
    expect(tableCounts(db)).toEqual(before)
    expect(readdirSync(dirname(db.name)).filter((f) => f.startsWith('.nw-import-'))).toEqual([])
  })

  it('a failure inside the final transaction rolls back the dataset, the version and every chunk', async () => {
    const db = tempStore()
    await importCsv(db, csvFixture('basic.csv'))
    const before = tableCounts(db)
    db.exec("CREATE TRIGGER fail_third_chunk BEFORE INSERT ON dataset_chunks WHEN NEW.seq = 2 BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")
    await expect(importCsv(db, writeRows(10_000))).rejects.toThrow('disk on fire')
    expect(tableCounts(db)).toEqual(before)
  })

  it('cuts a very wide file into shorter chunks so memory stays bounded', async () => {
    const db = tempStore()
    const path = tempFile('wide.csv')
    const cols = 4200
    const header = Array.from({ length: cols }, (_, c) => `c${c}`).join(',')
    const row = (i: number) => Array.from({ length: cols }, (_, c) => (c === cols - 1 ? i % 2 : (i * c) % 97)).join(',')
    writeFileSync(path, [header, ...Array.from({ length: 300 }, (_, i) => row(i))].join('\n'))
    const r = await importCsv(db, path, { split: { train: 1, validation: 0, test: 0 } })
    const schema = getDatasetVersion(db, r.versionId)?.schema as TabularSchemaRecord
    expect(schema.rowsPerChunk).toBe(249)
    expect(db.prepare('SELECT row_start AS s, row_count AS n FROM dataset_chunks ORDER BY seq').all()).toEqual([
      { s: 0, n: 249 },
      { s: 249, n: 51 },
    ])
    let rows = 0
    for (const b of readChunks(db, r.versionId, 'train')) rows += b.rows
    expect(rows).toBe(300)
  })

  it('keeps exact values for a column that looked categorical for thousands of rows, then was not', async () => {
    const db = tempStore()
    const path = tempFile('late-variety.csv')
    const texts = Array.from({ length: 10_000 }, (_, i) => (i < 5000 ? String(i % 10) : (i * 0.37).toFixed(2)))
    writeFileSync(path, 'x\n' + texts.join('\n') + '\n')
    const r = await importCsv(db, path, { recipe: { target: null, columns: { x: { transform: 'none' } } }, split: { train: 1, validation: 0, test: 0 } })
    expect(r.columns[0]).toMatchObject({ type: 'float' })
    const got: number[] = []
    for (const b of readChunks(db, r.versionId, 'all')) got.push(...Array.from(b.kind === 'tabular' ? b.features : []))
    expect(got).toEqual(texts.map((t) => Math.fround(Number(t))))
    const mean = texts.reduce((s, t) => s + Math.fround(Number(t)), 0) / texts.length
    expect(r.columns[0].stats.mean).toBeCloseTo(mean, 6)
  })

  it('takes each numeric column\'s histogram and moments over its stored values, whether read as slots or as values', async () => {
    const db = tempStore()
    const path = tempFile('histograms.csv')
    const r0 = seededRandom(12)
    // few: 50 distinct integers (kept as slots); tiny: one bin per integer; many: thousands of
    // distinct values (kept as values); zero: -0 and 0 (slots, one bin); cells missing everywhere.
    const rows = Array.from({ length: 60_000 }, () => [
      r0() < 0.05 ? '' : String(Math.floor(r0() * 50) - 7),
      r0() < 0.05 ? '' : String(Math.floor(r0() * 6)),
      r0() < 0.05 ? '' : (r0() * 1000 - 300).toFixed(3),
      r0() < 0.5 ? '-0' : '0',
    ])
    writeFileSync(path, 'few,tiny,many,zero\n' + rows.map((x) => x.join(',')).join('\n') + '\n')
    const r = await importCsv(db, path, { recipe: { target: null } })
    r.columns.forEach((col, c) => {
      const values = rows.filter((x) => x[c] !== '').map((x) => Math.fround(Number(x[c])))
      // The first of equal values stays (so -0 or 0, whichever comes first in the file).
      const lo = values.reduce((a, b) => (b < a ? b : a))
      const hi = values.reduce((a, b) => (b > a ? b : a))
      // The bins span the range of the numbers as written (the read's), the moments the stored float32 values.
      const texts = rows.filter((x) => x[c] !== '').map((x) => Number(x[c]))
      const { start, width, bins } = binning(Math.min(...texts), Math.max(...texts), col.type === 'integer')
      const counts = new Array<number>(bins).fill(0)
      for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - start) / width)))]++
      expect(col.stats.histogram, col.name).toEqual({ kind: 'numeric', edges: Array.from({ length: bins + 1 }, (_, i) => start + i * width), counts })
      expect([col.stats.count, col.stats.missing, col.stats.min, col.stats.max], col.name).toEqual([values.length, rows.length - values.length, lo, hi])
      expect(col.stats.mean, col.name).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6)
    })
    expect(r.columns.map((c) => c.stats.histogram?.kind === 'numeric' && c.stats.histogram.counts.length)).toEqual([20, 6, 20, 1])
  })

  it('writes many chunks and leaves no temporary files behind', async () => {
    const db = tempStore()
    const r = await importCsv(db, writeRows(150_000), { recipe: { target: 'label' } })
    expect(r.rowCount).toBe(150_000)
    expect(tableCounts(db).dataset_chunks).toBe(Math.ceil(150_000 / 4096))
    expect(r.split.counts.train + r.split.counts.validation + r.split.counts.test).toBe(150_000)
    expect(readdirSync(dirname(db.name)).filter((f) => f.startsWith('.nw-import-'))).toEqual([])
  })
})
