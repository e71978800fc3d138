import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { describe, expect, it } from 'vitest'
import { importCsv } from '../../../main/datasets/csv/import'
import { previewCsv } from '../../../main/datasets/csv/preview'
import type { TabularSchemaRecord } from '../../../common/datasets/types'
import { getDatasetVersion } from '../../../main/store/queries/datasets'
import { CORPUS_DIR } from './csvCorpus'
import { expectAppError, tableCounts, tempFile, tempStore } from './support'

const FORMATS = join(__dirname, '..', '..', 'fixtures', 'formats')

function write(name: string, data: string | Uint8Array | ArrayBuffer): string {
  const path = tempFile(name)
  writeFileSync(path, data instanceof ArrayBuffer ? new Uint8Array(data) : data)
  return path
}

/** 120 records: two measurements, a colour and a class that follows from the first measurement. */
function records(): { x: number; y: number; color: string; label: string }[] {
  return Array.from({ length: 120 }, (_, i) => ({ x: (i % 40) / 4, y: (i * 7) % 13, color: ['red', 'green', 'blue'][i % 3], label: (i % 40) / 4 > 5 ? 'high' : 'low' }))
}

describe('Parquet', () => {
  it('reads pandas\' own test file (python3-pandas simple.parquet)', async () => {
    const p = await previewCsv(join(FORMATS, 'pandas_simple.parquet'))
    expect(p.dialect).toMatchObject({ format: 'parquet', compression: null, header: true })
    expect(p.header).toEqual(['A', 'B'])
    expect(p.rows).toEqual([
      ['1', 'foo'],
      ['2', 'foo'],
      ['3', 'foo'],
    ])
  })

  it('imports through the same typing, recipe, split and chunk storage as a CSV', async () => {
    const rs = records()
    const path = write('measures.parquet', parquetWriteBuffer({
      columnData: [
        { name: 'x', data: rs.map((r) => r.x), type: 'DOUBLE' },
        { name: 'y', data: rs.map((r) => r.y), type: 'INT32' },
        { name: 'color', data: rs.map((r) => r.color), type: 'STRING' },
        { name: 'label', data: rs.map((r) => r.label), type: 'STRING' },
      ],
    }))
    const db = tempStore()
    const r = await importCsv(db, path, { recipe: { target: 'label' } })
    expect(r.rowCount).toBe(120)
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([
      ['x', 'float'],
      ['y', 'integer'],
      ['color', 'categorical'],
      ['label', 'categorical'],
    ])
    expect(r.split.counts.train + r.split.counts.validation + r.split.counts.test).toBe(120)
    expect(r.recipe.target).toMatchObject({ column: 'label' })
    const v = getDatasetVersion(db, r.versionId)
    expect((v?.schema as TabularSchemaRecord).source).toMatchObject({ format: 'parquet' })
    expect(tableCounts(db).dataset_chunks).toBeGreaterThan(0)
  })

  it('flattens a JSON-typed column of objects into dotted columns, and refuses one holding lists by name', async () => {
    const nested = write('nested.parquet', parquetWriteBuffer({
      columnData: [
        { name: 'id', data: [1, 2, 3], type: 'INT32' },
        { name: 'meta', data: [{ a: 1, b: 'x' }, { a: 2, b: 'y' }, { a: 3, b: 'x' }] },
      ],
    }))
    const p = await previewCsv(nested)
    expect(p.header).toEqual(['id', 'meta.a', 'meta.b'])
    expect(p.rows[1]).toEqual(['2', '2', 'y'])
    const lists = write('lists.parquet', parquetWriteBuffer({ columnData: [{ name: 'tags', data: [['a'], ['b', 'c']] }] }))
    await expectAppError(previewCsv(lists), 'invalid_input', 'lists.parquet', 'field "tags" holds a list')
  })

  it('a file that only looks like Parquet fails naming it, and the database is left as it was', async () => {
    const db = tempStore()
    const before = tableCounts(db)
    const path = write('broken.parquet', 'PAR1 this is not parquet')
    await expectAppError(importCsv(db, path), 'invalid_input', 'broken.parquet', 'not a readable Parquet file')
    expect(tableCounts(db)).toEqual(before)
  })
})

describe('JSON and JSON Lines', () => {
  it('reads a JSON array of records, nested objects as dotted columns, missing fields as missing', async () => {
    const path = write('people.json', JSON.stringify([
      { name: 'ann', age: 31, address: { city: 'Oslo', zip: '0150' } },
      { name: 'bob', age: null, address: { city: 'Bergen' }, member: true },
      { name: 'cy', age: 45, address: { city: 'Oslo', zip: '0151' }, member: false },
    ]))
    const p = await previewCsv(path)
    expect(p.dialect.format).toBe('json')
    expect(p.header).toEqual(['name', 'age', 'address.city', 'address.zip', 'member'])
    expect(p.rows[1]).toEqual(['bob', '', 'Bergen', '', 'true'])
    expect(p.columns.map((c) => c.type)).toEqual(['id', 'integer', 'categorical', 'id', 'boolean'])
  })

  it('reads JSON Lines with blank lines, and imports them', async () => {
    const lines = records().map((r) => JSON.stringify(r))
    lines.splice(10, 0, '')
    const path = write('measures.jsonl', lines.join('\n') + '\n')
    const db = tempStore()
    const r = await importCsv(db, path, { recipe: { target: 'label' } })
    expect(r.dialect.format).toBe('jsonl')
    expect(r.rowCount).toBe(120)
    expect(r.columns.map((c) => c.type)).toEqual(['float', 'integer', 'categorical', 'categorical'])
  })

  it('a line that is not JSON fails naming the line; a record that is a list names its line; nothing is stored', async () => {
    const db = tempStore()
    const before = tableCounts(db)
    await expectAppError(importCsv(db, write('bad.jsonl', '{"a":1}\n{"a":2\n{"a":3}\n')), 'invalid_input', 'bad.jsonl', 'line 2 is not valid JSON')
    await expectAppError(importCsv(db, write('list.jsonl', '{"a":1}\n[1,2]\n')), 'invalid_input', 'list.jsonl', 'line 2 is a list, not a record')
    await expectAppError(importCsv(db, write('tags.json', '[{"a":1,"tags":["x"]}]')), 'invalid_input', 'tags.json', 'record 1: field "tags" holds a list')
    await expectAppError(importCsv(db, write('broken.json', '[{"a":1},\n{"a":]')), 'invalid_input', 'broken.json', 'is not valid JSON', "Unexpected token ']'")
    expect(tableCounts(db)).toEqual(before)
  })

  it('takes the records from an object whose one list holds them', async () => {
    const p = await previewCsv(write('wrapped.json', JSON.stringify({ data: [{ a: 1 }, { a: 2 }], count: 2 })))
    expect(p.header).toEqual(['a'])
    expect(p.basis.rows).toBe(2)
  })
})

describe('gzip', () => {
  it('reads sklearn\'s diabetes_data_raw.csv.gz (space-separated numbers) as shipped', async () => {
    const p = await previewCsv(join(FORMATS, 'sklearn_diabetes_data_raw.csv.gz'), { sampleRows: 1_000_000 })
    expect(p.dialect).toMatchObject({ format: 'csv', compression: 'gzip', delimiter: ' ', header: false })
    expect(p.basis.rows).toBe(442)
    expect(p.columns).toHaveLength(10)
  })

  it('reads a gzip CSV exactly as the plain one, preamble included, and imports it', async () => {
    const plain = join(CORPUS_DIR, 'sklearn__breast_cancer.csv')
    const gz = write('breast_cancer.csv.gz', gzipSync(readFileSync(plain)))
    const a = await previewCsv(plain, { sampleRows: 1_000_000 })
    const b = await previewCsv(gz, { sampleRows: 1_000_000 })
    expect(b.dialect.skipLines).toBe(1)
    expect({ ...b, file: '', bytes: 0, dialect: { ...b.dialect, compression: null } }).toEqual({ ...a, file: '', bytes: 0 })
    const db = tempStore()
    const r = await importCsv(db, gz)
    expect(r.rowCount).toBe(569)
  })

  it('reads gzip JSON Lines, and a corrupt gzip file fails naming it', async () => {
    const gz = write('m.jsonl.gz', gzipSync(records().map((r) => JSON.stringify(r)).join('\n')))
    const p = await previewCsv(gz)
    expect(p.dialect).toMatchObject({ format: 'jsonl', compression: 'gzip' })
    expect(p.basis.rows).toBe(120)
    const bad = gzipSync('a,b\n1,2\n'.repeat(1000)).subarray(0, 40)
    await expectAppError(previewCsv(write('cut.csv.gz', bad)), 'invalid_input', 'cut.csv.gz', 'not a readable gzip file')
  })
})
