import type { BadRow, BadRowReport, ColumnType, CsvDialect } from '../../../common/datasets/types'
import { cellFormat } from '../../../common/datasets/typing'
import { ownBuffer } from '../helper/spawn'
import type { BadRowPolicy } from './badRows'
import { CsvPass } from './csvPass'
import type { ProfileState } from './profile'
import { ProfileSink } from './profileSink'
import { NotUtf8 } from './source'

/** Asks a helper thread to read bytes [start, end of file) of a CSV, the later part of a split read. */
export interface CsvPartRequest {
  type: 'csvPart'
  path: string
  start: number
  fileBytes: number
  dialect: CsvDialect
  strict: boolean
  /** Read rows from decoded text rather than bytes (as the first part does). */
  textRows?: boolean
  maxFieldChars: number
  policy: BadRowPolicy
  overrides: Record<string, ColumnType>
  keepText: string[]
  /** The column names the first part read (the header, or generated names). */
  names: string[]
}

/** What the helper posts back; line numbers count from 1 at `start`. */
export type CsvPartMessage =
  | { type: 'hello' }
  | { type: 'chunk'; rows: number; data: ArrayBuffer }
  | { type: 'progress'; bytes: number }
  | { type: 'done'; rows: number; blankLines: number; badRows: BadRowReport; states: ProfileState[] }
  | { type: 'badRow'; row: BadRow }
  | { type: 'notUtf8'; byteOffset: number }
  | { type: 'error'; message: string }

/**
 * Reads the later part of a split read (in the helper thread): the same row reader and column
 * profiles as the first part, but no preamble or header, every row with the first part's field
 * count, and profiles that keep what the merge needs (ColumnProfile's laterPart). Chunks are
 * posted as they fill; the profiles' states at the end.
 */
export async function readCsvPart(r: CsvPartRequest, post: (m: CsvPartMessage, transfer?: ArrayBuffer[]) => void): Promise<void> {
  try {
    const sink = new ProfileSink(
      r.path,
      cellFormat(r.dialect),
      { overrides: r.overrides, keepText: new Set(r.keepText) },
      (rows, packed) => {
        const data = ownBuffer(packed)
        post({ type: 'chunk', rows, data }, [data])
      },
      true,
    )
    sink.start(r.names)
    const pass = new CsvPass(
      {
        path: r.path,
        dialect: r.dialect,
        bomLength: 0,
        strict: r.strict,
        textRows: r.textRows,
        maxFieldChars: r.maxFieldChars,
        // Bad rows always come back as a list: the caller applies the policy once it knows this part counts.
        policy: r.policy === 'abort' ? 'skip' : r.policy,
        fileBytes: r.fileBytes,
        onBytes: (b) => post({ type: 'progress', bytes: b - r.start }),
      },
      sink.handlers(),
      r.names.length,
    )
    await pass.read(r.start)
    const result = pass.finish()
    sink.flush()
    if (r.policy === 'abort' && result.badRows.rows.length > 0) {
      post({ type: 'badRow', row: result.badRows.rows[0] })
      return
    }
    post({ type: 'done', rows: result.rows, blankLines: result.blankLines, badRows: result.badRows, states: sink.profiles.map((p) => p.state()) })
  } catch (e) {
    if (e instanceof NotUtf8) post({ type: 'notUtf8', byteOffset: e.byteOffset })
    else post({ type: 'error', message: (e as Error).message })
  }
}
