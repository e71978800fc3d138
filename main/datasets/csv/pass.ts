import type { Hash } from 'node:crypto'
import type { BadRowReport, CsvDialect } from '../../../common/datasets/types'
import type { BadRowPolicy } from './badRows'
import type { ByteCells } from './byteRows'
import { CsvPass } from './csvPass'

/** One read of a tabular file (CSV, or JSON, JSON Lines, Parquet through runRecordPass), start to end (or to maxBytes). */
export interface PassConfig {
  path: string
  dialect: CsvDialect
  bomLength: number
  /** The encoding is only assumed to be UTF-8: a bad byte throws NotUtf8. */
  strict: boolean
  maxFieldChars: number
  policy: BadRowPolicy
  signal?: AbortSignal
  hash?: Hash
  maxBytes?: number
  /** The file's size, to tell a preview cut at maxBytes from a file that ends there. */
  fileBytes: number
  onBytes?: (bytesRead: number) => void
  /** Read rows from decoded text with CsvRowReader even where the byte reader could (tests compare the two). */
  textRows?: boolean
}

/** What a pass hands its rows to; `row` returns false to stop reading (previews). */
export interface PassHandlers {
  /** Called once before any row with the function that tells the current row's line. */
  begin?(lineOf: () => number): void
  header(fields: string[]): void
  row(fields: string[], lineOf: () => number): boolean | void
  /** The same row as byte ranges, when the file is read on bytes (csv/byteRows.ts); else `row` gets it. */
  rowBytes?(cells: ByteCells, lineOf: () => number): boolean | void
}

/** What a pass saw. */
export interface PassResult {
  rows: number
  blankLines: number
  badRows: BadRowReport
  bytesRead: number
  /** True when a handler stopped the pass or maxBytes cut it short. */
  partial: boolean
}

/**
 * Reads the file once, decoding and splitting it into rows (bad rows go to the report, or stop
 * everything under 'abort'). Throws NotUtf8 when a file assumed to be UTF-8 is not.
 */
export async function runPass(cfg: PassConfig, handlers: PassHandlers): Promise<PassResult> {
  if (cfg.dialect.format !== 'csv') {
    // Loaded on first use: the Parquet reader (hyparquet and its codecs) is a tenth of a second of
    // every import worker's start otherwise, and most imports are CSV.
    const { runRecordPass } = await import('../formats/records')
    return runRecordPass(cfg, handlers, { format: cfg.dialect.format, gzip: cfg.dialect.compression === 'gzip' })
  }
  const pass = new CsvPass(cfg, handlers)
  await pass.read(0, cfg.maxBytes)
  return pass.finish()
}
