import Papa from 'papaparse'
import { badInput } from '../errors'
import type { BadRow, Newline } from '../../../common/datasets/types'
import type { BadRowCollector } from './badRows'

/** The largest field a CSV may hold, in characters, unless the caller says otherwise (1 MiB). */
export const DEFAULT_MAX_FIELD_CHARS = 1 << 20

/** How to split a CSV's text into rows. */
export interface RowReaderConfig {
  file: string
  delimiter: string
  newline: Newline
  header: boolean
  maxFieldChars: number
  /** Physical lines to drop before the table starts (a preamble); they are never parsed. */
  skipLines?: number
  /** Lines starting with this are comments ('' or absent: none). */
  comment?: string
  /** The header has one name fewer than the rows (R's row names): an unnamed first column is added. */
  rowNames?: boolean
  /** Fields every row must have, when known beforehand (the later part of a split read). */
  expectedFields?: number
  /** Whether expectedFields came from a header (for the ragged-row message). */
  expectedFromHeader?: boolean
  /** The physical line the first pushed text starts on (default 1; a reader taking over mid-file). */
  startLine?: number
}

/** Receives the rows; `line` is the 1-based physical line the row starts on. */
export interface RowSink {
  header(fields: string[]): void
  row(fields: string[]): void
}

interface StepResult {
  data: string[][]
  errors: { code: string; index?: number }[]
  meta: { cursor: number }
}

/**
 * Turns streamed text into rows with PapaParse's core parser (RFC 4180 quoting, doubled quotes,
 * line breaks inside quotes). What Papa does not do, this adds: physical line numbers for every
 * report, blank-line skipping, ragged-row, bad-quote and giant-field detection under the caller's
 * policy, and recovery after a giant field or an unterminated quote without buffering the rest of
 * the file. Lines are counted lazily: only when a report needs one, and once per chunk.
 */
export class CsvRowReader {
  /** Data rows delivered to the sink. */
  rows = 0
  /** Blank lines skipped. */
  blankLines = 0
  private text = ''
  private rowStart = 0
  private curStart = 0
  private countedPos = 0
  private line = 1
  private expected = -1
  private headerPending: boolean
  private stopped = false
  private skipping: { parity: number; report: BadRow } | null = null
  /** Where to restart after a malformed quote (the next line), or -1. */
  private resume = -1
  private parser: Papa.Parser
  private readonly nl: string
  private readonly stripCr: boolean
  /** Preamble lines still to drop. */
  private toSkip: number

  constructor(
    private readonly cfg: RowReaderConfig,
    private readonly sink: RowSink,
    private readonly bad: BadRowCollector,
  ) {
    this.headerPending = cfg.header
    this.nl = cfg.newline === '\r' ? '\r' : '\n'
    // A '\n' file with some '\r\n' lines: the '\r' would stick to the last field.
    this.stripCr = cfg.newline === '\n'
    this.toSkip = cfg.skipLines ?? 0
    this.expected = cfg.expectedFields ?? -1
    this.line = cfg.startLine ?? 1
    this.parser = this.newParser()
  }

  private newParser(): Papa.Parser {
    return new Papa.Parser({
      delimiter: this.cfg.delimiter,
      newline: this.cfg.newline,
      quoteChar: '"',
      comments: this.cfg.comment || false,
      step: (r: StepResult) => this.step(r),
    })
  }

  /** Parses the current text; after a malformed quote, restarts on the next line with a fresh parser. */
  private parseText(ignoreLastRow: boolean): void {
    for (;;) {
      this.rowStart = 0
      this.countedPos = 0
      this.resume = -1
      this.parser.parse(this.text, 0, ignoreLastRow)
      if (this.stopped || this.resume < 0) return
      this.lineAt(this.resume)
      this.text = this.text.slice(this.resume)
      this.parser = this.newParser()
    }
  }

  /** The physical line (1-based) the row being delivered starts on. */
  currentLine(): number {
    return this.lineAt(this.curStart)
  }

  /** Stops delivering rows (a preview has enough). */
  stop(): void {
    this.stopped = true
    this.parser.abort()
  }

  /**
   * True when everything pushed so far ended exactly at the end of a record, outside any quote:
   * the proof a split read needs that the next byte starts a record (see csv/splitRead.ts).
   */
  atRecordStart(): boolean {
    return this.text.length === 0 && this.skipping === null && this.toSkip === 0 && !this.headerPending && !this.stopped
  }

  /** The physical line (1-based) that the next pushed text starts on. */
  get nextLine(): number {
    return this.line
  }

  /** True once stop() was called. */
  get isStopped(): boolean {
    return this.stopped
  }

  /** Feeds the next piece of decoded text. */
  push(chunk: string): void {
    if (this.stopped) return
    if (this.toSkip > 0) {
      chunk = this.skipPreamble(chunk)
      if (chunk.length === 0) return
    }
    if (this.skipping) {
      chunk = this.skipBadRecord(chunk)
      if (this.skipping) return
    }
    this.text = this.text.length > 0 ? this.text + chunk : chunk
    this.parseText(true)
    if (this.stopped) return
    const consumed = this.rowStart
    this.lineAt(consumed)
    this.text = consumed > 0 ? this.text.slice(consumed) : this.text
    this.countedPos = 0
    if (this.text.length > this.cfg.maxFieldChars + 1024) this.giantRecord()
  }

  /** Flushes the last row (files without a final line break) and closes open reports. */
  end(): void {
    if (this.stopped) return
    if (this.skipping) {
      const { parity, report } = this.skipping
      if (parity === 1) {
        report.reason = 'unterminated_quote'
        report.message = `a quote opened on this line is never closed; lines ${report.line} to ${this.line} were left out`
      }
      this.skipping = null
      return
    }
    if (this.text.length === 0) return
    this.parseText(false)
    this.text = ''
  }

  /** Drops whole physical lines of the preamble (quotes in them mean nothing); returns what follows. */
  private skipPreamble(chunk: string): string {
    let i = 0
    while (this.toSkip > 0) {
      const n = chunk.indexOf(this.nl, i)
      if (n < 0) return ''
      this.line++
      this.toSkip--
      i = n + 1
    }
    return chunk.slice(i)
  }

  private step(r: StepResult): void {
    let start = this.rowStart
    const comment = this.cfg.comment
    if (comment) {
      // Papa steps over comment lines silently: the row starts after them (for its line number).
      while (this.text.startsWith(comment, start)) {
        const n = this.text.indexOf(this.nl, start)
        if (n < 0) break
        start = n + 1
      }
    }
    const end = r.meta.cursor
    this.rowStart = end
    this.curStart = start
    const row = r.data[0]
    if (r.errors.length > 0) {
      const code = r.errors[0].code
      if (code === 'MissingQuotes') {
        this.report('unterminated_quote', 'a quote opened on this line is never closed (the file ends inside it)')
        return
      }
      this.report('bad_quotes', 'a quoted field has text after its closing quote (a quote inside a field must be doubled: "")')
      // Papa keeps looking for a closing quote and may swallow the next lines into this row:
      // end the bad row at the end of its line instead and carry on from the next one.
      const nlAt = this.text.indexOf(this.nl, r.errors[0].index ?? start)
      if (nlAt >= 0 && nlAt + 1 < end) {
        this.resume = nlAt + 1
        this.parser.abort()
      }
      return
    }
    if (row.length === 1 && row[0].trim() === '') {
      this.blankLines++
      return
    }
    if (this.stripCr) {
      const last = row[row.length - 1]
      if (last.charCodeAt(last.length - 1) === 13) row[row.length - 1] = last.slice(0, -1)
    }
    if (end - start > this.cfg.maxFieldChars) {
      for (let i = 0; i < row.length; i++) {
        if (row[i].length > this.cfg.maxFieldChars) {
          this.report('giant_field', `field ${i + 1} has ${row[i].length.toLocaleString('en-US')} characters, over the ${limitText(this.cfg.maxFieldChars)} limit`)
          return
        }
      }
    }
    if (this.headerPending) {
      this.headerPending = false
      if (this.cfg.rowNames) row.unshift('')
      this.expected = row.length
      this.sink.header(row)
      return
    }
    if (this.expected < 0) this.expected = row.length
    if (row.length !== this.expected) {
      this.report('ragged', `${row.length} field${row.length === 1 ? '' : 's'} where the ${this.cfg.header || this.cfg.expectedFromHeader ? 'header has' : 'first row has'} ${this.expected}`)
      return
    }
    this.rows++
    this.sink.row(row)
  }

  private report(reason: BadRow['reason'], message: string): BadRow {
    const b: BadRow = { line: this.currentLine(), reason, message }
    this.bad.add(b)
    return b
  }

  /** The unfinished record outgrew the field limit: report it, then skip to its end without keeping it. */
  private giantRecord(): void {
    this.curStart = 0
    const report = this.report(
      'giant_field',
      `this row is longer than the ${limitText(this.cfg.maxFieldChars)} limit (a giant field, or a quote opened on this line that is never closed)`,
    )
    let parity = 0
    for (let i = this.text.indexOf('"'); i >= 0; i = this.text.indexOf('"', i + 1)) parity ^= 1
    this.lineAt(this.text.length)
    this.text = ''
    this.countedPos = 0
    // Even parity: outside quotes already, so the record ends at the next line break.
    this.skipping = { parity, report }
  }

  /** Consumes text up to the end of the record being skipped; returns what follows it. */
  private skipBadRecord(chunk: string): string {
    const s = this.skipping
    if (!s) return chunk
    let i = 0
    for (;;) {
      const q = chunk.indexOf('"', i)
      const n = chunk.indexOf(this.nl, i)
      if (n < 0 && q < 0) return ''
      if (q >= 0 && (n < 0 || q < n)) {
        s.parity ^= 1
        i = q + 1
        continue
      }
      this.line++
      i = n + 1
      if (s.parity === 0) {
        this.skipping = null
        return chunk.slice(i)
      }
    }
  }

  /** Line number at position pos of the current text, counting forward from the last count. */
  private lineAt(pos: number): number {
    if (pos < this.countedPos) return this.line
    const t = this.text
    const nl = this.nl
    let line = this.line
    for (let k = t.indexOf(nl, this.countedPos); k >= 0 && k < pos; k = t.indexOf(nl, k + 1)) line++
    this.line = line
    this.countedPos = pos
    return line
  }
}

function limitText(chars: number): string {
  return chars >= 1 << 20 && chars % (1 << 20) === 0 ? `${chars / (1 << 20)} MiB` : `${chars.toLocaleString('en-US')}-character`
}

/** Refuses a delimiter the parser cannot use. */
export function checkDelimiter(file: string, d: string): void {
  if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
    throw badInput(file, `the delimiter must be one character other than a quote or a line break (got ${JSON.stringify(d)})`)
  }
}
