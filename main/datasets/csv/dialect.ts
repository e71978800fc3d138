import { open, stat } from 'node:fs/promises'
import { badInput, notFound } from '../errors'
import type { CsvDialect, CsvEncoding, DateOrder, Newline, Thousands } from '../../../common/datasets/types'
import { detectFormat, type SourceFormat } from '../formats/detect'
import { decoderFor, firstInvalidUtf8, guessEncoding } from './encoding'
import { gunzipHead } from './source'
import { checkDelimiter } from './rows'
import {
  DELIMITER_CANDIDATES,
  countCommentLines,
  lineWidth,
  refineTop,
  rowsFrom,
  sampleLines,
  searchTable,
  skippedLines,
  sniffDateOrder,
  sniffHeader,
  sniffNewline,
  sniffNumberFormat,
  type TableReading,
} from './sniff'
import { NOT_NUMBER, cellFormat, numericKind, trimCell } from '../../../common/datasets/typing'

/** Bytes looked at to sniff the dialect. */
export const SNIFF_BYTES = 64 << 10

/** The dialect fields a caller may fix instead of letting them be sniffed. */
export interface DialectOverrides {
  encoding?: CsvEncoding
  delimiter?: string
  decimal?: '.' | ','
  header?: boolean
  /** Lines to skip above the table (a preamble). */
  skipLines?: number
  /** Lines starting with this are comments ('' for none). */
  comment?: string
  thousands?: Thousands
  dateOrder?: DateOrder
}

/** The comment marker tried when the caller does not name one. */
export const DEFAULT_COMMENT = '#'

/** A resolved dialect and what reading needs besides it. */
export interface ResolvedDialect {
  dialect: CsvDialect
  bomLength: number
  /** False while the file is only assumed to be UTF-8 (a later bad byte switches to Windows-1252). */
  encodingCertain: boolean
  fileBytes: number
}

/** Checks the path is a readable, non-empty file and returns its size. */
export async function fileSize(path: string): Promise<number> {
  let st
  try {
    st = await stat(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw notFound(path, code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (e as Error).message})`)
  }
  if (st.isDirectory()) throw badInput(path, 'is a folder, not a CSV file')
  if (st.size === 0) throw badInput(path, 'the file is empty')
  return st.size
}

/**
 * The fixed reading of a JSON, JSON Lines or Parquet file: field names are the header, numbers
 * use '.', nothing is skipped. It shares the CSV dialect's shape so one pipeline reads them all.
 */
function recordDialect(src: SourceFormat, fileBytes: number): ResolvedDialect {
  const what = src.format === 'parquet' ? 'Parquet' : src.format === 'json' ? 'JSON' : 'JSON Lines'
  return {
    dialect: {
      format: src.format,
      compression: src.gzip ? 'gzip' : null,
      encoding: 'utf-8',
      encodingReason: src.format === 'parquet' ? 'Parquet stores its own types' : 'JSON is UTF-8',
      bom: false,
      delimiter: ',',
      decimal: '.',
      header: true,
      headerReason: `${what}: the field names are the columns (nested fields as "a.b")`,
      newline: '\n',
      skipLines: 0,
      skipped: [],
      rowNames: false,
      comment: '',
      commentLines: 0,
      thousands: '',
      dateOrder: 'mdy',
      dateOrderReason: null,
      sniffed: { encoding: false, delimiter: false, decimal: false, header: false, skipLines: false, comment: false, thousands: false, dateOrder: false },
    },
    bomLength: 0,
    encodingCertain: true,
    fileBytes,
  }
}

/** True when some line starting with '#' does not have the table's field count (so it reads as a comment). */
function hashLinesOffTable(s: ReturnType<typeof sampleLines>, t: TableReading): boolean {
  for (const l of s.lines) {
    if (!l.startsWith(DEFAULT_COMMENT)) continue
    const n = lineWidth(l, t.delimiter)
    if (n !== t.width) return true
  }
  return false
}

/**
 * A single space as the delimiter, tried only when no other delimiter makes a table (a file
 * written with spaces, "Chins Situps Jumps" over "5 162 60"): every row must have the same 2 or
 * more fields and some column below the first row must be all numbers, so a column of names with
 * spaces ("New York") stays one column.
 */
function spaceTable(lines: ReturnType<typeof sampleLines>, comment: string, skip: number | undefined): TableReading | null {
  const t = searchTable(lines, comment, [' '], skip)
  if (t.width < 2 || t.rows < 2 || t.consistent !== t.rows) return null
  const rows = rowsFrom(lines, t.skip, ' ', comment).slice(1)
  for (let c = 0; c < t.width; c++) {
    if (rows.every((r) => numericKind(trimCell(r[c] ?? ''), 46) !== NOT_NUMBER)) return t
  }
  return null
}

/**
 * Works out how to read a CSV from its first 64 KiB: encoding (byte-order mark, UTF-16 zero
 * pattern, else UTF-8 falling back to Windows-1252), line ending, comment lines, the delimiter
 * and the lines to skip above the table (searched together), decimal and thousands separators,
 * the order of non-ISO dates and the header; every field the caller gives wins over the guess.
 */
export async function resolveDialect(path: string, o: DialectOverrides): Promise<ResolvedDialect> {
  const fileBytes = await fileSize(path)
  const src = await detectFormat(path)
  if (src.format !== 'csv') return recordDialect(src, fileBytes)
  let head: Buffer
  let complete: boolean
  if (src.gzip) {
    ;({ head, complete } = await gunzipHead(path, SNIFF_BYTES))
    if (head.length === 0) throw badInput(path, 'is empty once decompressed')
  } else {
    head = Buffer.alloc(Math.min(SNIFF_BYTES, fileBytes))
    complete = fileBytes <= head.length
    const fh = await open(path, 'r')
    try {
      await fh.read(head, 0, head.length, 0)
    } finally {
      await fh.close()
    }
  }
  const guess = guessEncoding(head)
  let encoding: CsvEncoding
  let reason: string
  let bomLength = 0
  let certain = true
  if ('binary' in guess) {
    if (!o.encoding) throw badInput(path, `is not a text file (byte ${guess.binary} is zero); choose a CSV file`)
    encoding = o.encoding
    reason = 'chosen'
  } else if (o.encoding) {
    encoding = o.encoding
    reason = 'chosen'
    bomLength = guess.encoding === o.encoding ? guess.bomLength : 0
  } else {
    ;({ encoding, reason, bomLength, certain } = guess)
  }
  if (encoding === 'utf-8' && !certain) {
    const bad = firstInvalidUtf8(head)
    if (bad >= 0) {
      encoding = 'windows-1252'
      reason = `not valid UTF-8 (byte ${bad}); read as Windows-1252 (Latin-1)`
      certain = true
    }
  }
  let sample = decoderFor(encoding, false).decode(head.subarray(bomLength), { stream: true })
  const newline: Newline = sniffNewline(sample)
  if (!complete) {
    const cut = sample.lastIndexOf(newline === '\r' ? '\r' : '\n')
    if (cut > 0) sample = sample.slice(0, cut + 1)
  }
  if (o.delimiter !== undefined) checkDelimiter(path, o.delimiter)
  if (o.comment !== undefined && o.delimiter !== undefined && o.comment === o.delimiter) throw badInput(path, 'the comment character cannot be the delimiter')
  const lines = sampleLines(sample, newline, complete)
  const delimiters = o.delimiter !== undefined ? [o.delimiter] : DELIMITER_CANDIDATES
  // '#' marks comments unless every '#' line has the table's width: those are data or the header
  // ("#id,name" headers, "#ff0000" cells), and reading them as comments would lose them.
  let comment = o.comment ?? ''
  let table: TableReading = searchTable(lines, comment, delimiters, o.skipLines)
  if (o.comment === undefined && hashLinesOffTable(lines, table)) {
    comment = DEFAULT_COMMENT
    table = searchTable(lines, comment, delimiters, o.skipLines)
  }
  if (o.delimiter === undefined && table.width < 2) table = spaceTable(lines, comment, o.skipLines) ?? table
  const delimiter = table.delimiter
  if (comment !== '' && comment === delimiter) throw badInput(path, 'the comment character cannot be the delimiter')
  let rows = rowsFrom(lines, table.skip, delimiter, comment)
  const numbers = sniffNumberFormat(rows, delimiter, o.decimal)
  const decimal = numbers.decimal
  if (decimal === ',' && delimiter === ',') throw badInput(path, 'a comma cannot be both the delimiter and the decimal separator')
  const thousands = o.thousands ?? numbers.thousands
  if (thousands === decimal) throw badInput(path, `"${decimal}" cannot be both the thousands and the decimal separator`)
  const dates = sniffDateOrder(rows)
  const dateOrder = o.dateOrder ?? dates.order
  const fmt = cellFormat({ decimal, thousands, dateOrder })
  const top = o.skipLines === undefined ? refineTop(lines, table, rows, comment, fmt, o.header !== undefined) : { skip: table.skip, rowNames: false, extra: [] }
  const skipped = skippedLines(lines, { ...table, skip: Math.min(table.skip, top.skip) }, comment, o.skipLines !== undefined).concat(top.extra)
  if (top.skip !== table.skip) rows = rowsFrom(lines, top.skip, delimiter, comment)
  const sniffedHeader = top.header ?? sniffHeader(rows, fmt)
  const header = o.header ?? sniffedHeader.header
  return {
    dialect: {
      format: 'csv',
      compression: src.gzip ? 'gzip' : null,
      encoding,
      encodingReason: reason,
      bom: bomLength > 0,
      delimiter,
      decimal,
      header,
      headerReason: o.header === undefined ? sniffedHeader.reason : `chosen (the sniffer says: ${sniffedHeader.header ? 'header' : 'data'}, because ${sniffedHeader.reason})`,
      newline,
      skipLines: top.skip,
      skipped,
      rowNames: top.rowNames,
      comment,
      commentLines: countCommentLines(lines, comment),
      thousands,
      dateOrder,
      dateOrderReason: o.dateOrder === undefined ? dates.reason : 'chosen',
      sniffed: {
        encoding: !o.encoding,
        delimiter: o.delimiter === undefined,
        decimal: o.decimal === undefined,
        header: o.header === undefined,
        skipLines: o.skipLines === undefined,
        comment: o.comment === undefined,
        thousands: o.thousands === undefined,
        dateOrder: o.dateOrder === undefined,
      },
    },
    bomLength,
    encodingCertain: certain,
    fileBytes,
  }
}
