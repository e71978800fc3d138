import Papa from 'papaparse'
import type { Newline } from '../types'
import { FLOAT, NOT_NUMBER, boolValue, dateValue, isMissing, numericKind, trimCell } from './typing'

/** Delimiters tried when the caller does not name one, in order of preference on a tie. */
export const DELIMITER_CANDIDATES = [',', '\t', ';', '|'] as const

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

/** Splits sample text into rows with a given delimiter (blank lines dropped). */
export function sampleRows(sample: string, delimiter: string, newline: Newline, complete: boolean): string[][] {
  const parser = new Papa.Parser({ delimiter, newline, quoteChar: '"' })
  const out = parser.parse(sample, 0, !complete) as { data: string[][] }
  return out.data.filter((r) => !(r.length === 1 && r[0].trim() === ''))
}

/**
 * Picks the delimiter: for each candidate, how consistent the field count is over the sample
 * rows (the share of rows with the most common count, which must be 2 or more) plus how clean the
 * fields are (a field holding another candidate character, unless it is a decimal-comma number,
 * hints at the wrong split). A semicolon file with decimal commas ("1,5;2,25") therefore picks ';'.
 * Returns ',' for a single-column file.
 */
export function sniffDelimiter(sample: string, newline: Newline, complete: boolean): { delimiter: string; fields: number } {
  let best = { delimiter: ',', fields: 1, score: -1 }
  for (const d of DELIMITER_CANDIDATES) {
    const rows = sampleRows(sample, d, newline, complete).slice(0, 200)
    if (rows.length === 0) continue
    const counts = new Map<number, number>()
    for (const r of rows) counts.set(r.length, (counts.get(r.length) ?? 0) + 1)
    let mode = 1
    let modeRows = 0
    for (const [n, c] of counts) if (c > modeRows || (c === modeRows && n > mode)) [mode, modeRows] = [n, c]
    if (mode < 2) continue
    const share = modeRows / rows.length
    let fields = 0
    let clean = 0
    for (const r of rows) {
      for (const f of r) {
        fields++
        if (isClean(f, d)) clean++
      }
    }
    const score = share + clean / Math.max(1, fields)
    if (score > best.score + 1e-9) best = { delimiter: d, fields: mode, score }
  }
  return { delimiter: best.delimiter, fields: best.fields }
}

function isClean(field: string, d: string): boolean {
  for (const other of DELIMITER_CANDIDATES) {
    if (other === d || field.indexOf(other) < 0) continue
    if (other === ',' && numericKind(trimCell(field), 44) !== NOT_NUMBER) continue
    return false
  }
  return true
}

/** ',' when the sample's numbers use decimal commas ("3,14" outnumbers "3.14"); never for comma-delimited files. */
export function sniffDecimal(rows: string[][], delimiter: string): '.' | ',' {
  if (delimiter === ',') return '.'
  let commas = 0
  let points = 0
  for (const r of rows) {
    for (const f of r) {
      const t = trimCell(f)
      if (t.indexOf(',') >= 0 && numericKind(t, 44) === FLOAT) commas++
      else if (t.indexOf('.') >= 0 && numericKind(t, 46) === FLOAT) points++
    }
  }
  return commas > points ? ',' : '.'
}

/**
 * Decides whether the first row is a header:
 * - a first-row cell that is a number, a boolean or a date means data (headers are names);
 * - else, a column whose other values are numbers, booleans or dates says header (the first
 *   cell is a name over typed values);
 * - else (all text), header when the first-row values are all different and none of them
 *   appears again in its column;
 * - a file with one row is a header with no data (the import then says so).
 */
export function sniffHeader(rows: string[][], decimal: '.' | ','): boolean {
  if (rows.length === 0) return true
  const first = rows[0]
  const dec = decimal === ',' ? 44 : 46
  const typed = (t: string) => numericKind(t, dec) !== NOT_NUMBER || boolValue(t) >= 0 || dateValue(t) === dateValue(t)
  for (const f of first) {
    const t = trimCell(f)
    if (!isMissing(t) && typed(t)) return false
  }
  if (rows.length === 1) return true
  const rest = rows.slice(1)
  for (let c = 0; c < first.length; c++) {
    let seen = 0
    let typedCount = 0
    for (const r of rest) {
      const t = trimCell(r[c] ?? '')
      if (isMissing(t)) continue
      seen++
      if (typed(t)) typedCount++
    }
    if (seen > 0 && typedCount === seen) return true
  }
  const names = new Set(first.map((f) => trimCell(f)))
  if (names.size !== first.length || names.has('')) return false
  for (let c = 0; c < first.length; c++) {
    const name = trimCell(first[c])
    for (const r of rest) if (trimCell(r[c] ?? '') === name) return false
  }
  return true
}
