import type { Hash } from 'node:crypto'
import type { BadRowReport, CsvDialect } from '../../../common/datasets/types'
import { BadRowCollector, type BadRowPolicy } from './badRows'
import { ByteRowReader, byteReadable, type ByteCells, type ByteRowSink } from './byteRows'
import { CsvRowReader, type RowReaderConfig } from './rows'
import { runRecordPass } from '../formats/records'
import { readBytes, readText } from './source'

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
  if (cfg.dialect.format !== 'csv') return runRecordPass(cfg, handlers, { format: cfg.dialect.format, gzip: cfg.dialect.compression === 'gzip' })
  const pass = new CsvPass(cfg, handlers)
  await pass.read(0, cfg.maxBytes)
  return pass.finish()
}

/**
 * A CSV pass that can be read in pieces: bytes [from, to) at a time, the row reader carrying over
 * between them. A split read (csv/splitRead.ts) reads the first part, checks the reader stopped at
 * a record boundary, and only if not reads on from there itself.
 */
export class CsvPass {
  private readonly bad: BadRowCollector
  private readonly reader: CsvRowReader | ByteRowReader
  private stopped = false
  private bytesRead = 0
  private cut = false

  constructor(
    private readonly cfg: PassConfig,
    handlers: PassHandlers,
    /** Later part of a split read: no preamble or header, and every row has this many fields. */
    expectedFields?: number,
  ) {
    this.bad = new BadRowCollector(cfg.path, cfg.policy)
    const { dialect } = cfg
    const later = expectedFields !== undefined
    const rc: RowReaderConfig = {
      file: cfg.path,
      delimiter: dialect.delimiter,
      newline: dialect.newline,
      header: later ? false : dialect.header,
      maxFieldChars: cfg.maxFieldChars,
      skipLines: later ? 0 : dialect.skipLines,
      comment: dialect.comment,
      rowNames: later ? false : dialect.rowNames,
      expectedFields,
      expectedFromHeader: later && dialect.header,
    }
    const sink: ByteRowSink = {
      header: (f) => handlers.header(f),
      row: (f) => {
        if (handlers.row(f, lineOf) === false) {
          this.stopped = true
          reader.stop()
        }
      },
    }
    const { rowBytes } = handlers
    if (rowBytes) {
      sink.rowBytes = (c) => {
        if (rowBytes.call(handlers, c, lineOf) === false) {
          this.stopped = true
          reader.stop()
        }
      }
    }
    const onBytes = !cfg.textRows && dialect.compression !== 'gzip' && byteReadable(dialect)
    const reader = onBytes ? new ByteRowReader({ ...rc, encoding: dialect.encoding, strict: cfg.strict }, sink, this.bad) : new CsvRowReader(rc, sink, this.bad)
    this.reader = reader
    const lineOf = (): number => reader.currentLine()
    handlers.begin?.(lineOf)
  }

  /**
   * Reads bytes [from, to) of the file (to the end when `to` is absent) into the reader; a
   * function `to` is asked before each read (not for gzip: a split read's cut may move meanwhile).
   */
  async read(from: number, to?: number | (() => number)): Promise<void> {
    const { cfg, reader } = this
    const opts = {
      encoding: cfg.dialect.encoding,
      bomLength: cfg.bomLength,
      strict: cfg.strict,
      start: from,
      maxBytes: typeof to === 'number' ? to : undefined,
      until: typeof to === 'function' ? to : undefined,
      signal: cfg.signal,
      hash: cfg.hash,
      onBytes: cfg.onBytes,
      gzip: cfg.dialect.compression === 'gzip',
    }
    const end =
      reader instanceof ByteRowReader
        ? await readBytes(cfg.path, opts, (bytes, at) => {
            reader.push(bytes, at)
            return !this.stopped
          })
        : await readText(cfg.path, opts, (text) => {
            reader.push(text)
            return !this.stopped
          })
    this.bytesRead = end
    if (cfg.maxBytes !== undefined && end >= cfg.maxBytes && end < cfg.fileBytes) this.cut = true
  }

  /** True when what was read so far ends exactly at a record boundary (see CsvRowReader.atRecordStart). */
  atRecordStart(): boolean {
    return this.reader.atRecordStart()
  }

  /** The physical line the next unread byte is on. */
  get nextLine(): number {
    return this.reader.nextLine
  }

  /** Ends the pass: flushes the last row unless stopped or cut, and says what it saw. */
  finish(): PassResult {
    const { reader } = this
    // A preview cut at maxBytes leaves an unfinished last line: dropping it beats reporting it as bad.
    if (!this.stopped && !this.cut) reader.end()
    return { rows: reader.rows, blankLines: reader.blankLines, badRows: this.bad.report, bytesRead: this.bytesRead, partial: this.stopped || this.cut }
  }
}
