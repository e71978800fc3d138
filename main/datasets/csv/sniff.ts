import Papa from 'papaparse'
import type { DateOrder, Newline, SkippedLine, Thousands } from '../../../common/datasets/types'
import { NOT_NUMBER, boolValue, dateValue, isMissing, localDateParts, numericKind, trimCell } from '../../../common/datasets/typing'

/** Delimiters tried when the caller does not name one, in order of preference on a tie. */
export const DELIMITER_CANDIDATES = [',', '\t', ';', '|'] as const

/** The most lines a preamble may have (lines skipped above the table). */
export const MAX_SKIP_LINES = 20

/** Rows of the sample each sniffing rule looks at. */
const SNIFF_ROWS = 250

/** The first line break outside quotes decides the file's line ending; '\n' when there is none. */
export function sniffNewline(sample: string): Newline {
  let inQuotes = false
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i)
    if (c === 34) inQuotes = !inQuotes
    else if (!inQuotes && c === 13) return sample.charCodeAt(i + 1) === 10 ? '\r\n' : i + 1 < sample.length ? '\r' : '\r\n'
    else if (!inQuotes && c === 10) return '\n'
  }
  return '\n'
}

/** Splits sample text into rows with a given delimiter (blank lines and, when `comment` is set, comment lines dropped). */
export function sampleRows(sample: string, delimiter: string, newline: Newline, complete: boolean, comment = ''): string[][] {
  const parser = new Papa.Parser({ delimiter, newline, quoteChar: '"', comments: comment || false })
  const out = parser.parse(sample, 0, !complete) as { data: string[][] }
  return out.data.filter((r) => !(r.length === 1 && r[0].trim() === ''))
}

/** A sample cut into physical lines, to try skip counts on. */
export interface SampleLines {
  lines: string[]
  /** The character lines are split on ('\r' files) or end with ('\n', '\r\n'). */
  nl: string
  newline: Newline
  /** The sample is the whole file (its last line is complete). */
  complete: boolean
}

/** Cuts the sample into physical lines (a quoted field spanning lines is cut too; the parser mends it). */
export function sampleLines(sample: string, newline: Newline, complete: boolean): SampleLines {
  const nl = newline === '\r' ? '\r' : '\n'
  const lines = sample.split(nl)
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return { lines, nl, newline, complete }
}

/** Rows of the sample from physical line `skip` on (at most SNIFF_ROWS lines of it). */
export function rowsFrom(s: SampleLines, skip: number, delimiter: string, comment: string): string[][] {
  const end = skip + SNIFF_ROWS
  const text = s.lines.slice(skip, end).join(s.nl) + s.nl
  return sampleRows(text, delimiter, s.newline, s.complete || end < s.lines.length, comment)
}

/** The table's reading: delimiter, lines skipped above it, its width and how well the rows agree. */
export interface TableReading {
  delimiter: string
  skip: number
  /** Fields per row (the first row's count, which the most rows agree with). */
  width: number
  /** Rows with exactly `width` fields, and rows read, in the window after the skip. */
  consistent: number
  rows: number
  score: number
}

/**
 * Searches delimiter and skip count together, as DuckDB's sniffer does: for each delimiter and
 * each skip from 0 to MAX_SKIP_LINES, the first row after the skip sets the width and the reading
 * counts the rows that have it. A skip is tried only when none of the lines it drops has the
 * width of the rows after it (those would be the header or rows). Per delimiter the skip with the
 * most agreeing rows wins (the smallest on a tie); across delimiters the score is
 * the share of agreeing rows plus how clean the fields are (a field holding another candidate
 * character, unless it is a decimal-comma number, hints at the wrong split), so a semicolon file
 * with decimal commas ("1,5;2,25") picks ';'. A reading needs 2 or more fields per row; without
 * one the file is a single column read with ','.
 */
export function searchTable(s: SampleLines, comment: string, delimiters: readonly string[], fixedSkip?: number): TableReading {
  let best: TableReading = { delimiter: delimiters.length === 1 ? delimiters[0] : ',', skip: fixedSkip ?? 0, width: 1, consistent: 0, rows: 0, score: -1 }
  for (const d of delimiters) {
    let mine: TableReading | null = null
    const maxSkip = fixedSkip ?? Math.min(MAX_SKIP_LINES, Math.max(0, s.lines.length - 1))
    const widths: number[] = []
    for (let k = fixedSkip ?? 0; k <= maxSkip; k++) {
      if (fixedSkip === undefined && k > 0) {
        widths.push(isBlankOrComment(s.lines[k - 1], comment) ? -1 : lineWidth(s.lines[k - 1], d))
        if (isBlankOrComment(s.lines[k], comment)) continue
      }
      const rows = rowsFrom(s, k, d, comment)
      if (rows.length === 0) continue
      const width = rows[0].length
      // A line skipped must not fit the table: skipping a header, or rows before a broken one, is never the answer.
      if (widths.includes(width)) continue
      let consistent = 0
      for (const r of rows) if (r.length === width) consistent++
      // A table has 2 or more fields; a one-field reading only stands when nothing better exists.
      if (mine === null || (width >= 2 && mine.width < 2) || ((width >= 2) === (mine.width >= 2) && consistent > mine.consistent)) {
        mine = { delimiter: d, skip: k, width, consistent, rows: rows.length, score: 0 }
        mine.score = width < 2 ? -1 : consistent / rows.length + cleanShare(rows, d)
      }
    }
    if (mine && mine.score > best.score + 1e-9) best = mine
  }
  return best
}

/** Fields of one physical line read alone. */
export function lineWidth(line: string, delimiter: string): number {
  return sampleRows(line.replace(/\r$/, '') + '\n', delimiter, '\n', true)[0]?.length ?? 0
}

function isBlankOrComment(line: string | undefined, comment: string): boolean {
  if (line === undefined) return true
  return line.trim() === '' || (comment !== '' && line.startsWith(comment))
}

function cleanShare(rows: string[][], d: string): number {
  let fields = 0
  let clean = 0
  for (const r of rows) {
    for (const f of r) {
      fields++
      if (isClean(f, d)) clean++
    }
  }
  return clean / Math.max(1, fields)
}

function isClean(field: string, d: string): boolean {
  for (const other of DELIMITER_CANDIDATES) {
    if (other === d || field.indexOf(other) < 0) continue
    if (other === ',' && numericKind(trimCell(field), 44) !== NOT_NUMBER) continue
    return false
  }
  return true
}

/** Why each line above the table was skipped, for the preview. */
export function skippedLines(s: SampleLines, r: TableReading, comment: string, chosen: boolean): SkippedLine[] {
  const out: SkippedLine[] = []
  for (let i = 0; i < r.skip && i < s.lines.length; i++) {
    const raw = s.lines[i].replace(/\r$/, '')
    let reason: string
    if (chosen) reason = `skip first ${r.skip} line${r.skip === 1 ? '' : 's'} (chosen)`
    else if (raw.trim() === '') reason = 'blank line above the table'
    else if (comment !== '' && raw.startsWith(comment)) reason = `comment (starts with ${comment})`
    else {
      const n = lineWidth(raw, r.delimiter)
      reason = `${n} field${n === 1 ? '' : 's'} where the table below has ${r.width} (from line ${r.skip + 1}, ${r.consistent} of the ${r.rows} rows sniffed have ${r.width})`
    }
    out.push({ line: i + 1, text: raw.length > 200 ? `${raw.slice(0, 200)}…` : raw, reason })
  }
  return out
}

/** Lines starting with the comment string among the sample's lines. */
export function countCommentLines(s: SampleLines, comment: string): number {
  if (comment === '') return 0
  let n = 0
  for (const l of s.lines) if (l.startsWith(comment)) n++
  return n
}

const CURRENCY_OR_PERCENT = /^([+-]?)[$€£¥₹]\s?|\s?[$€£¥₹%]$/g
const COMMA_GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+$/
const COMMA_GROUPED_POINT = /^[+-]?\d{1,3}(?:,\d{3})+\.\d+$|^[+-]?\d{1,3}(?:,\d{3}){2,}$/
const POINT_GROUPED = /^[+-]?\d{1,3}(?:\.\d{3})+$/
const POINT_GROUPED_COMMA = /^[+-]?\d{1,3}(?:\.\d{3})+,\d+$|^[+-]?\d{1,3}(?:\.\d{3}){2,}$/
const SPACE_GROUPED = /^[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:([.,])\d+)?$/
const COMMA_DECIMAL = /^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$/
const POINT_DECIMAL = /^[+-]?\d*\.\d+(?:[eE][+-]?\d+)?$/

/**
 * Decimal and thousands separators from the sample's cells (currency and percent signs aside):
 * "1,234.5" or "1,234,567" say ',' groups with a '.' decimal; "1.234,5" or "1.234.567" say '.'
 * groups with a ',' decimal; "1 234,5" says space groups; "3,14" (not three digits after the
 * comma) says a decimal comma. A comma-delimited file keeps a '.' decimal (a comma inside an
 * unquoted number would split it). Once the decimal is known, a separator that cannot be the
 * decimal is a thousands separator ("1,234" in a '.' file is 1234).
 */
export function sniffNumberFormat(rows: string[][], delimiter: string, fixedDecimal?: '.' | ','): { decimal: '.' | ','; thousands: Thousands } {
  let commaGroups = 0
  let commaGroupsStrong = 0
  let pointGroups = 0
  let pointGroupsStrong = 0
  let spaceGroups = 0
  let commaDecimals = 0
  let pointDecimals = 0
  for (const r of rows) {
    for (const f of r) {
      const t = trimCell(f).replace(CURRENCY_OR_PERCENT, '$1')
      if (t.length < 2 || t.length > 40) continue
      if (COMMA_GROUPED_POINT.test(t)) commaGroupsStrong++
      else if (POINT_GROUPED_COMMA.test(t)) pointGroupsStrong++
      else if (COMMA_GROUPED.test(t)) commaGroups++
      else if (POINT_GROUPED.test(t)) pointGroups++
      else if (COMMA_DECIMAL.test(t)) commaDecimals++
      else if (POINT_DECIMAL.test(t)) pointDecimals++
      else {
        const m = SPACE_GROUPED.exec(t)
        if (m) {
          spaceGroups++
          if (m[1] === ',') commaDecimals++
          else if (m[1] === '.') pointDecimals++
        }
      }
    }
  }
  let decimal: '.' | ','
  if (fixedDecimal) decimal = fixedDecimal
  else if (delimiter === ',') decimal = '.'
  else decimal = pointGroupsStrong + commaDecimals > commaGroupsStrong + pointDecimals + commaGroups ? ',' : '.'
  let thousands: Thousands = ''
  if (decimal === '.') {
    if (commaGroupsStrong + commaGroups > 0) thousands = ','
    else if (spaceGroups > 0) thousands = ' '
  } else if (pointGroupsStrong + pointGroups > 0) thousands = '.'
  else if (spaceGroups > 0) thousands = ' '
  return { decimal, thousands }
}

/**
 * Day-first or month-first, from the dates written like "03/04/2021": a first part above 12
 * can only be a day, a second part above 12 only a day too. Returns the order and, when the sample
 * has such dates, why (including when every one of them fits both orders, or they disagree).
 */
export function sniffDateOrder(rows: string[][]): { order: DateOrder; reason: string | null } {
  let dayFirst = 0
  let monthFirst = 0
  let seen = 0
  let example = ''
  for (const r of rows) {
    for (const f of r) {
      const p = localDateParts(trimCell(f))
      if (!p) continue
      seen++
      if (p[0] > 12 && p[1] <= 12) {
        dayFirst++
        if (!example) example = trimCell(f)
      } else if (p[1] > 12 && p[0] <= 12) {
        monthFirst++
        if (!example) example = trimCell(f)
      }
    }
  }
  if (seen === 0) return { order: 'mdy', reason: null }
  if (dayFirst > 0 && monthFirst > 0) {
    const order = dayFirst >= monthFirst ? 'dmy' : 'mdy'
    return { order, reason: `ambiguous: ${dayFirst} date(s) can only be day-first and ${monthFirst} only month-first; read as ${order === 'dmy' ? 'day-first' : 'month-first'} (the majority)` }
  }
  if (dayFirst > 0) return { order: 'dmy', reason: `day-first: "${example}" has a first part above 12` }
  if (monthFirst > 0) return { order: 'mdy', reason: `month-first: "${example}" has a second part above 12` }
  return { order: 'mdy', reason: `ambiguous: all ${seen} date(s) like "${firstLocalDate(rows)}" fit both day-first and month-first; read as month-first (change it if the days come first)` }
}

function firstLocalDate(rows: string[][]): string {
  for (const r of rows) for (const f of r) if (localDateParts(trimCell(f))) return trimCell(f)
  return ''
}

const NUM = 1
const DATE = 2
const BOOL = 4

function cellKind(t: string, fmt: number): number {
  if (numericKind(t, fmt) !== NOT_NUMBER) return NUM
  const d = dateValue(t, fmt)
  if (d === d) return DATE
  return boolValue(t) >= 0 ? BOOL : 0
}

function kindName(k: number): string {
  return k & NUM ? 'numbers' : k & DATE ? 'dates' : k & BOOL ? 'true/false values' : 'text'
}

function cellKindName(k: number): string {
  return k === NUM ? 'a number' : k === DATE ? 'a date' : k === BOOL ? 'a true/false value' : 'text'
}

function quoteCell(t: string): string {
  return `"${t.length > 30 ? `${t.slice(0, 30)}…` : t}"`
}

/**
 * Decides whether the first row is a header, and says why:
 * - a first-row cell that does not fit the type of the values below it (text above numbers,
 *   numbers above dates) makes it a header, naming that cell;
 * - else, when some column below is typed and every first-row cell fits its column, it is data;
 * - else (no typed column), a first row with a number, date or boolean is data; one whose values
 *   are all different and none of them appears again in its column is a header;
 * - a file with one row is a header with no data (the import then says so).
 * `fmt` is the cellFormat code the cells are read with.
 */
export function sniffHeader(rows: string[][], fmt: number): { header: boolean; reason: string; byType?: boolean } {
  if (rows.length === 0) return { header: true, reason: 'the file has no rows' }
  const first = rows[0]
  if (rows.length === 1) return { header: true, reason: 'the file has a single row' }
  const rest = rows.slice(1)
  let typedColumn = -1
  for (let c = 0; c < first.length; c++) {
    let body = NUM | DATE | BOOL
    let seen = 0
    for (const r of rest) {
      const t = trimCell(r[c] ?? '')
      if (isMissing(t)) continue
      seen++
      body &= cellKind(t, fmt)
      if (body === 0) break
    }
    if (seen === 0 || body === 0) continue
    const t = trimCell(first[c])
    if (isMissing(t)) continue
    const k = cellKind(t, fmt)
    if ((k & body) === 0) return { header: true, byType: true, reason: `${quoteCell(t)} in column ${c + 1} is ${cellKindName(k)} above ${kindName(body)}` }
    if (typedColumn < 0) typedColumn = c
  }
  if (typedColumn >= 0) {
    const t = trimCell(first[typedColumn])
    return { header: false, reason: `the first row fits the types below it (${quoteCell(t)} in column ${typedColumn + 1} is ${cellKindName(cellKind(t, fmt))} like the values under it)` }
  }
  for (let c = 0; c < first.length; c++) {
    const t = trimCell(first[c])
    if (!isMissing(t) && cellKind(t, fmt) !== 0) return { header: false, reason: `${quoteCell(t)} in column ${c + 1} is ${cellKindName(cellKind(t, fmt))}, not a name` }
  }
  const names = new Set(first.map((f) => trimCell(f)))
  if (names.has('')) return { header: false, reason: 'the first row has an empty cell, so it is not a row of names' }
  if (names.size !== first.length) return { header: false, reason: 'the first row repeats a value, so it is not a row of names' }
  for (let c = 0; c < first.length; c++) {
    const name = trimCell(first[c])
    for (const r of rest) if (trimCell(r[c] ?? '') === name) return { header: false, reason: `${quoteCell(name)} in column ${c + 1} appears again below, so it is data` }
  }
  return { header: true, reason: 'every column is text; the first row has different values, none of them repeated below' }
}

/** How the top of the table reads once the rows are known (see refineTop). */
export interface TopReading {
  skip: number
  rowNames: boolean
  /** Lines skipped on top of the table reading's, with their reasons. */
  extra: SkippedLine[]
  header?: { header: boolean; reason: string }
}

/**
 * Two shapes the field-count search cannot see, settled with the rows' types:
 * - R's write.csv header: the last line skipped has one name fewer than the rows, all names.
 *   It is the header, and the first column holds row names.
 * - A mostly empty line of the table's width above a header ("506,13,,,,,,,,,,,,", then the
 *   names, then numbers): when the rows below it make a header by types and it does not, it is
 *   skipped too.
 */
export function refineTop(s: SampleLines, t: TableReading, rows: string[][], comment: string, fmt: number, headerFixed: boolean): TopReading {
  const plain: TopReading = { skip: t.skip, rowNames: false, extra: [] }
  if (t.skip > 0 && !headerFixed) {
    const h = t.skip - 1
    const line = s.lines[h].replace(/\r$/, '')
    const cells = sampleRows(line + '\n', t.delimiter, '\n', true)[0] ?? []
    if (t.width >= 3 && cells.length === t.width - 1 && cells.every((c) => !isMissing(trimCell(c)) && cellKind(trimCell(c), fmt) === 0)) {
      return { skip: h, rowNames: true, extra: [], header: { header: true, reason: `line ${h + 1} has one name fewer than the rows below: it is the header, and the first column holds row names (as R writes them)` } }
    }
  }
  if (headerFixed || sniffHeader(rows, fmt).header) return plain
  for (let j = 1; j <= 3 && j + 2 <= rows.length; j++) {
    const above = rows.slice(0, j)
    if (!above.every(isSparse) || rows[j].some((c) => trimCell(c) === '')) continue
    const h = sniffHeader(rows.slice(j), fmt)
    if (!h.byType) continue
    // Rows j above the header are physical lines too (they are short, unquoted lines).
    let skip = t.skip
    const extra: SkippedLine[] = []
    for (let left = j; left > 0 && skip < s.lines.length; skip++) {
      const raw = s.lines[skip].replace(/\r$/, '')
      if (isBlankOrComment(raw, comment)) continue
      const row = rows[j - left]
      const empty = row.filter((c) => trimCell(c) === '').length
      extra.push({ line: skip + 1, text: raw.length > 200 ? `${raw.slice(0, 200)}…` : raw, reason: `mostly empty (${empty} of ${row.length} fields) above the header` })
      left--
    }
    return { skip, rowNames: false, extra, header: { header: true, reason: h.reason } }
  }
  return plain
}

function isSparse(row: string[]): boolean {
  let empty = 0
  for (const c of row) if (trimCell(c) === '') empty++
  return row.length >= 2 && empty * 2 >= row.length
}
