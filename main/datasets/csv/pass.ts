import type { Hash } from 'node:crypto'
import type { BadRowReport, CsvDialect } from '../../../common/datasets/types'
import { BadRowCollector, type BadRowPolicy } from './badRows'
import { CsvRowReader } from './rows'
import { runRecordPass } from '../formats/records'
import { readText } from './source'

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
}

/** What a pass hands its rows to; `row` returns false to stop reading (previews). */
export interface PassHandlers {
  /** Called once before any row with the function that tells the current row's line. */
  begin?(lineOf: () => number): void
  header(fields: string[]): void
  row(fields: string[], lineOf: () => number): boolean | void
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
  if (cfg.dialect.format !== 'csv') return runRecordPass(cfg, handlers, { format: cfg.dialect.format, gzip: cfg.dialect.compression === 'gzip' })
  const bad = new BadRowCollector(cfg.path, cfg.policy)
  const { dialect } = cfg
  let stopped = false
  const reader: CsvRowReader = new CsvRowReader(
    {
      file: cfg.path,
      delimiter: dialect.delimiter,
      newline: dialect.newline,
      header: dialect.header,
      maxFieldChars: cfg.maxFieldChars,
      skipLines: dialect.skipLines,
      comment: dialect.comment,
      rowNames: dialect.rowNames,
    },
    {
      header: (f) => handlers.header(f),
      row: (f) => {
        if (handlers.row(f, lineOf) === false) {
          stopped = true
          reader.stop()
        }
      },
    },
    bad,
  )
  const lineOf = (): number => reader.currentLine()
  handlers.begin?.(lineOf)
  let cut = false
  const bytesRead = await readText(
    cfg.path,
    {
      encoding: dialect.encoding,
      bomLength: cfg.bomLength,
      strict: cfg.strict,
      maxBytes: cfg.maxBytes,
      signal: cfg.signal,
      hash: cfg.hash,
      onBytes: cfg.onBytes,
      gzip: dialect.compression === 'gzip',
    },
    (text) => {
      reader.push(text)
      return !stopped
    },
  )
  if (cfg.maxBytes !== undefined && bytesRead >= cfg.maxBytes && bytesRead < cfg.fileBytes) cut = true
  // A preview cut at maxBytes leaves an unfinished last line: dropping it beats reporting it as bad.
  if (!stopped && !cut) reader.end()
  return { rows: reader.rows, blankLines: reader.blankLines, badRows: bad.report, bytesRead, partial: stopped || cut }
}
