import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { previewCsv } from '../../../main/datasets/csv/preview'
import type { ColumnType } from '../../../common/datasets/types'

/** The real-file corpus: how pandas reads each file (scripts/csv-corpus-expected.py wrote it). */
export const CORPUS_DIR = join(__dirname, '..', '..', 'fixtures', 'csv', 'real')

interface ExpectedColumn {
  name: string | null
  kind: 'int' | 'float' | 'float-int' | 'bool' | 'object' | 'empty'
  nonNull: number
}
/** One file's expected reading. */
export interface ExpectedFile {
  /** Set when pandas cannot read the file at all (then nothing else is). */
  pandasError?: string
  rows: number
  header: boolean
  columns: ExpectedColumn[]
}

/** The expected readings by file name. */
export function corpusExpected(): Record<string, ExpectedFile> {
  return JSON.parse(readFileSync(join(CORPUS_DIR, 'expected.json'), 'utf8')) as Record<string, ExpectedFile>
}

/** Our column types that agree with a pandas column kind. */
const AGREES: Record<ExpectedColumn['kind'], ColumnType[]> = {
  int: ['integer', 'id'],
  float: ['float'],
  // pandas makes an integer column float when a value is missing; we keep it integer.
  'float-int': ['integer', 'float', 'id'],
  bool: ['boolean'],
  object: ['categorical', 'text', 'id', 'date', 'boolean'],
  empty: ['text'],
}

/** Reads a corpus file as the import would and lists every way it differs from pandas' reading. */
export async function corpusDifferences(file: string, want: ExpectedFile): Promise<string[]> {
  const p = await previewCsv(join(CORPUS_DIR, file), { sampleRows: 1_000_000, previewRows: 0 })
  const diffs: string[] = []
  if (want.pandasError) return [`pandas cannot read it (${want.pandasError}); we read ${p.basis.rows} rows of ${p.columns.length} columns`]
  if (p.basis.rows !== want.rows) diffs.push(`rows: ${p.basis.rows}, pandas ${want.rows}`)
  if (p.badRows.total > 0) diffs.push(`${p.badRows.total} bad rows, the first: line ${p.badRows.rows[0].line}: ${p.badRows.rows[0].message}`)
  if (p.columns.length !== want.columns.length) {
    diffs.push(`columns: ${p.columns.length} (${p.header.slice(0, 6).join(', ')}…), pandas ${want.columns.length} (${want.columns.slice(0, 6).map((c) => c.name).join(', ')}…)`)
    return diffs
  }
  want.columns.forEach((w, i) => {
    const c = p.columns[i]
    if (w.name !== null && w.name !== c.name) diffs.push(`column ${i + 1} is named "${c.name}", pandas "${w.name}"`)
    if (!AGREES[w.kind].includes(c.type)) diffs.push(`column "${c.name}" is ${c.type}, pandas ${w.kind}`)
    if (w.kind !== 'empty' && c.stats.count !== w.nonNull) diffs.push(`column "${c.name}" has ${c.stats.count} values, pandas ${w.nonNull}`)
  })
  return diffs
}
