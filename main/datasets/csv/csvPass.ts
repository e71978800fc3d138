// The CSV pass on its own (no other formats' readers): a split read's helper thread loads only this.
import { BadRowCollector } from './badRows'
import { ByteRowReader, byteReadable, type ByteRowSink } from './byteRows'
import type { PassConfig, PassHandlers, PassResult } from './pass'
import { CsvRowReader, type RowReaderConfig } from './rows'
import { readBytes, readText } from './source'

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
    const reader = onBytes ? new ByteRowReader({ ...rc, encoding: dialect.encoding, strict: cfg.strict, decimal: dialect.decimal === ',' ? 44 : 46 }, sink, this.bad) : new CsvRowReader(rc, sink, this.bad)
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
        ? await readBytes(cfg.path, opts, (bytes, at, headroom) => {
            reader.push(bytes, at, headroom)
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
