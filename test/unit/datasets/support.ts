import type { Database } from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, expect } from 'vitest'
import { AppError } from '../../../common/errors'
import { openStore } from '../../../main/store/open'
import { readChunks } from '../../../main/datasets/chunks/read'
import type { CsvImportResult } from '../../../main/datasets/csv/import'
import { tempDir } from '../../helpers/tmp'

/** A CSV fixture's path. */
export function csvFixture(name: string): string {
  return join(__dirname, '..', '..', 'fixtures', 'csv', name)
}

/** An image fixture's path. */
export function imageFixture(...parts: string[]): string {
  return join(__dirname, '..', '..', 'fixtures', 'images', ...parts)
}

const open: Database[] = []

/** A fresh store on a temporary file, closed after the test. */
export function tempStore(): Database {
  const db = openStore(join(tempDir('nw-ds-'), 'workbench.sqlite'))
  open.push(db)
  return db
}

afterEach(() => {
  for (const db of open.splice(0)) db.close()
})

/** Row counts of every table, to prove a failed import wrote nothing. */
export function tableCounts(db: Database): Record<string, number> {
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name)
  return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]))
}

/** Awaits a promise that must fail with an AppError of this code whose message contains every fragment. */
export async function expectAppError(p: Promise<unknown>, code: string, ...fragments: (string | RegExp)[]): Promise<AppError> {
  let caught: unknown
  try {
    await p
  } catch (e) {
    caught = e
  }
  expect(caught, 'expected the call to fail').toBeInstanceOf(AppError)
  const e = caught as AppError
  expect(e.code).toBe(code)
  for (const f of fragments) {
    if (typeof f === 'string') expect(e.message).toContain(f)
    else expect(e.message).toMatch(f)
  }
  return e
}

/** Writes a file into a fresh temporary folder and returns its path. */
export function tempFile(name: string): string {
  return join(tempDir('nw-ds-'), name)
}

/** Everything a CSV import leaves, in a form two imports (two stores, two readers or chunkings) compare by. */
export function csvOutcome(r: CsvImportResult, db: Database): object {
  const rows: number[][] = []
  for (const b of readChunks(db, r.versionId, 'all')) {
    if (b.kind !== 'tabular') throw new Error('not tabular')
    for (let i = 0; i < b.rows; i++) rows.push([b.rowIndex[i], ...b.features.subarray(i * b.width, (i + 1) * b.width), b.labels[i] ?? -1])
  }
  // Ids, timing and chunk bytes differ between two stores and two chunkings; everything else must not.
  const same: Partial<CsvImportResult> = { ...r }
  for (const k of ['datasetId', 'versionId', 'seconds', 'sameSourceAs', 'name', 'byteSize'] as const) delete same[k]
  return { ...same, rows }
}
