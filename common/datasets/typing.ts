/**
 * Column typing rules. Every value of a column is looked at (at import: the whole file); a column
 * gets the first type in this list that all its non-missing values fit:
 *
 * 1. Values are trimmed of surrounding spaces and tabs before anything else; categories match on
 *    the trimmed text ("red" and " red" are the same category).
 * 2. Missing: an empty cell, or exactly one of MISSING_TOKENS ('NA', 'na', 'N/A', 'n/a', 'NaN', 'nan',
 *    'null', 'NULL', 'None', '#N/A', '?', '-'). Missing cells never decide a type; a column whose
 *    cells are all missing is 'text' (and ignored by default).
 * 3. boolean: true/false, yes/no, in lower, UPPER or Title case ("TRUE", "Yes"). 0/1 columns stay
 *    integer (they may be counts); pick boolean by override if that is what they mean.
 * 4. integer: optional sign and digits, no leading zero ("0" and "-7" are integers; "00123" and
 *    "0123" are not numbers at all, so zip codes and zero-padded ids keep their text). An integer
 *    column whose values are unique per row is 'id' when it counts up by one row by row with
 *    nothing missing (a row number; at least 3 rows) or its header looks like an id ("id",
 *    "user_id", "uuid", "key").
 * 5. float: integer or decimal with an optional exponent: "3.5", "-.5", "5.", "1e5", "2.5E-3".
 *    The decimal separator is the dialect's ('.' or ','); thousands separators only when the
 *    dialect has one (',', '.' or a space, in groups of three: "1,234.5", "1.234,5", "1 234,5").
 *    A percent sign or a currency symbol ($ € £ ¥ ₹) before or after the number is dropped and
 *    the number kept as written ("45%" is 45, "$1,200" is 1200). "inf"/"Infinity" are not numbers,
 *    nor is anything beyond the float32 range (|x| > 3.4e38). Numbers are stored as float32.
 * 6. date: ISO 8601 "YYYY-MM-DD", "YYYY/MM/DD", or a date-time "YYYY-MM-DD[T or space]hh:mm[:ss[.fff]]"
 *    with an optional "Z" or "+hh:mm"; no zone means UTC. Stored as days since 1970-01-01 UTC.
 *    Day-first or month-first dates ("03/04/2021", "3.4.2021", optionally with " hh:mm[:ss]") are
 *    read in the dialect's date order, which the sniffer decides from the values (a first part
 *    above 12 means day-first; a second part above 12, month-first; else ambiguous, month-first).
 * 7. Otherwise text-like, decided by distinct values: 'categorical' when some value repeats and
 *    there are at most CATEGORICAL_MAX distinct values and (at most 20 or at most half the values);
 *    'id' when every value is unique per row, short (at most 64 characters) and has no spaces;
 *    'text' otherwise (free text: not usable as a feature, ignored by default).
 *
 * A column's note records the first value (and its line) that ruled the numeric type out, so a
 * person can see why "price" came out as text.
 */
import type { ColumnType, DateOrder, Thousands } from './types'

/** Cell values that mean "no value", compared after trimming. */
export const MISSING_TOKENS: ReadonlySet<string> = new Set(['NA', 'na', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A', '?', '-'])

/** A column with more distinct values than this is never categorical. */
export const CATEGORICAL_MAX = 1000

/** The boolean tokens (rule 3), in boolToken's order: the true ones, then the false ones. */
export const BOOL_TOKENS: readonly string[] = ['true', 'TRUE', 'True', 'yes', 'YES', 'Yes', 'false', 'FALSE', 'False', 'no', 'NO', 'No']

/** Removes surrounding spaces and tabs (only when there are some: the check is two char reads). */
export function trimCell(s: string): string {
  const n = s.length
  if (n === 0) return s
  const a = s.charCodeAt(0)
  const b = s.charCodeAt(n - 1)
  return a === 32 || a === 9 || b === 32 || b === 9 ? s.trim() : s
}

/** True when a trimmed cell is missing (rule 2). */
export function isMissing(t: string): boolean {
  const n = t.length
  if (n === 0) return true
  if (n > 4) return false
  // Every token starts with N, n, #, ? or -: numbers and most words skip the set lookup.
  const c = t.charCodeAt(0)
  if (c === 45) return n === 1
  return (c === 78 || c === 110 || c === 35 || c === 63) && MISSING_TOKENS.has(t)
}

/** 1 for true tokens, 0 for false tokens, -1 for anything else (rule 3). */
export function boolValue(t: string): number {
  const k = boolToken(t)
  return k < 0 ? -1 : k < 6 ? 1 : 0
}

/**
 * Which boolean token a trimmed cell is (rule 3): 0-5 the true tokens, 6-11 the false ones (in
 * lower, UPPER, Title case order), -1 for anything else. Decided from char codes, no set lookup:
 * it runs for every cell of a boolean column.
 */
export function boolToken(t: string): number {
  const n = t.length
  if (n < 2 || n > 5) return -1
  const c = t.charCodeAt(0)
  // The first letter decides the token, the rest its case: all lower, all upper, or Title.
  const lower = c >= 97
  const first = lower ? c : c + 32
  const word = first === 116 ? 'true' : first === 121 ? 'yes' : first === 102 ? 'false' : first === 110 ? 'no' : ''
  if (word.length !== n) return -1
  const c1 = t.charCodeAt(1)
  const upperRest = c1 >= 65 && c1 <= 90
  if (lower && upperRest) return -1
  for (let i = 1; i < n; i++) if (t.charCodeAt(i) !== (upperRest ? word.charCodeAt(i) - 32 : word.charCodeAt(i))) return -1
  const base = first === 116 || first === 121 ? 0 : 6
  const pair = first === 116 || first === 102 ? 0 : 3
  return base + pair + (lower ? 0 : upperRest ? 1 : 2)
}

/** boolToken of the text in b[s, e) (single-byte letters, so any encoding), without making the string. */
export function boolTokenBytes(b: Uint8Array, s: number, e: number): number {
  const n = e - s
  if (n < 2 || n > 5) return -1
  const c = b[s]
  const lower = c >= 97
  const first = lower ? c : c + 32
  const word = first === 116 ? 'true' : first === 121 ? 'yes' : first === 102 ? 'false' : first === 110 ? 'no' : ''
  if (word.length !== n) return -1
  const c1 = b[s + 1]
  const upperRest = c1 >= 65 && c1 <= 90
  if (lower && upperRest) return -1
  for (let i = 1; i < n; i++) if (b[s + i] !== (upperRest ? word.charCodeAt(i) - 32 : word.charCodeAt(i))) return -1
  const base = first === 116 || first === 121 ? 0 : 6
  const pair = first === 116 || first === 102 ? 0 : 3
  return base + pair + (lower ? 0 : upperRest ? 1 : 2)
}

/** Kinds numericKind returns. */
export const NOT_NUMBER = 0
/** An integer (rule 4). */
export const INTEGER = 1
/** A decimal or exponent number (rule 5). */
export const FLOAT = 2

/** 10^k for k <= 22, each exact (the fast number paths scale by these). */
export const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]

/** Set by scanNumber: whether the last number it read was an integer (rule 4) rather than a float (rule 5). */
export const SCAN = { integer: false }

/**
 * Reads a trimmed cell as a number in one pass over its characters (this runs for every cell of
 * every numeric column, so no regular expression): NaN when it is not a number by rules 4 and 5,
 * else its value, and SCAN.integer says which rule. decimal is the separator's char code (46 '.'
 * or 44 ','). Short numbers take Clinger's fast path: at most 15 significant digits make an exact
 * mantissa and 10^k (k <= 22) is exact, so one multiplication or division is correctly rounded,
 * the same double Number() gives; anything longer goes to Number(). `fmt` is a cellFormat code
 * (or just the decimal's char code): a plain read failing, the number may still be dressed
 * (thousands separators, percent, currency; see scanDressed).
 */
export function scanNumber(t: string, fmt: number): number {
  const v = scanPlain(t, fmt & 255)
  return v === v ? v : scanDressed(t, fmt)
}

/**
 * scanNumber without thousands separators, percent or currency: the hot path. Reads never go past
 * the end (c is -1 there), so c stays a small integer and the loops stay on the fast path.
 */
function scanPlain(t: string, decimal: number): number {
  const n = t.length
  if (n === 0) return NaN
  let i = 0
  let neg = false
  let c = t.charCodeAt(0)
  if (c === 45 || c === 43) {
    if (n === 1) return NaN
    neg = c === 45
    c = t.charCodeAt(++i)
  }
  const intStart = i
  let m = 0
  let digits = 0
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48)
    if (m !== 0) digits++
    c = ++i < n ? t.charCodeAt(i) : -1
  }
  const intDigits = i - intStart
  // Rule 4: a leading zero followed by more digits ("00123") is text, not a number.
  if (intDigits > 1 && t.charCodeAt(intStart) === 48) return NaN
  if (i === n) {
    if (intDigits === 0) return NaN
    SCAN.integer = true
    if (digits > 15) return slowNumber(t, decimal)
    return neg ? -m : m
  }
  SCAN.integer = false
  let frac = 0
  if (c === decimal) {
    c = ++i < n ? t.charCodeAt(i) : -1
    const fracStart = i
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48)
      if (m !== 0) digits++
      c = ++i < n ? t.charCodeAt(i) : -1
    }
    frac = i - fracStart
  }
  if (intDigits === 0 && frac === 0) return NaN
  let e = -frac
  if (i < n) {
    if (c !== 101 && c !== 69) return NaN
    c = ++i < n ? t.charCodeAt(i) : -1
    let eneg = false
    if (c === 45 || c === 43) {
      eneg = c === 45
      c = ++i < n ? t.charCodeAt(i) : -1
    }
    const expStart = i
    let x = 0
    while (c >= 48 && c <= 57) {
      if (x < 100_000) x = x * 10 + (c - 48)
      c = ++i < n ? t.charCodeAt(i) : -1
    }
    if (i !== n || i === expStart) return NaN
    e += eneg ? -x : x
  }
  if (digits > 15 || e > 22 || e < -22) return slowNumber(t, decimal)
  const v = e < 0 ? m / POW10[-e] : m * POW10[e]
  return neg ? -v : v
}

/**
 * scanPlain over the bytes b[s, e) of an ASCII cell (already trimmed), for readers that type
 * numbers without making strings: the same steps and the same arithmetic, so the same double.
 * Returns NaN both for "not a plain number" and for what scanPlain would hand to Number() (more
 * than 15 significant digits, a large exponent): the caller then reads the cell as a string.
 */
export function scanPlainBytes(b: Uint8Array, s: number, e: number, decimal: number): number {
  const n = e - s
  if (n === 0) return NaN
  let i = s
  let neg = false
  let c = b[s]
  if (c === 45 || c === 43) {
    if (n === 1) return NaN
    neg = c === 45
    c = b[++i]
  }
  const intStart = i
  let m = 0
  let digits = 0
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48)
    if (m !== 0) digits++
    c = ++i < e ? b[i] : -1
  }
  const intDigits = i - intStart
  if (intDigits > 1 && b[intStart] === 48) return NaN
  if (i === e) {
    if (intDigits === 0 || digits > 15) return NaN
    SCAN.integer = true
    return neg ? -m : m
  }
  let frac = 0
  if (c === decimal) {
    c = ++i < e ? b[i] : -1
    const fracStart = i
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48)
      if (m !== 0) digits++
      c = ++i < e ? b[i] : -1
    }
    frac = i - fracStart
  }
  if (intDigits === 0 && frac === 0) return NaN
  let x10 = -frac
  if (i < e) {
    if (c !== 101 && c !== 69) return NaN
    c = ++i < e ? b[i] : -1
    let eneg = false
    if (c === 45 || c === 43) {
      eneg = c === 45
      c = ++i < e ? b[i] : -1
    }
    const expStart = i
    let x = 0
    while (c >= 48 && c <= 57) {
      if (x < 100_000) x = x * 10 + (c - 48)
      c = ++i < e ? b[i] : -1
    }
    if (i !== e || i === expStart) return NaN
    x10 += eneg ? -x : x
  }
  if (digits > 15 || x10 > 22 || x10 < -22) return NaN
  SCAN.integer = false
  const v = x10 < 0 ? m / POW10[-x10] : m * POW10[x10]
  return neg ? -v : v
}

function slowNumber(t: string, decimal: number): number {
  return Number(decimal === 44 ? t.replace(',', '.') : t)
}

const CURRENCY = '$€£¥₹'
const GROUPED = new Map<number, RegExp>()

/** The integer part written in groups of three with the thousands separator th (char code). */
function groupedPattern(th: number, decimal: number): RegExp {
  const key = (th << 8) | decimal
  let re = GROUPED.get(key)
  if (!re) {
    const sep = th === 32 ? '[ \u00a0\u202f]' : th === 46 ? '\\.' : ','
    const dec = decimal === 44 ? ',' : '\\.'
    re = new RegExp(`^[+-]?\\d{1,3}(?:${sep}\\d{3})+(?:${dec}\\d*)?$`)
    GROUPED.set(key, re)
  }
  return re
}

/**
 * A number with a currency symbol before or after it ("$1,200", "-€5", "12 €"), a trailing
 * percent sign ("45%") or thousands separators in groups of three (when the format has them).
 * Runs only after a plain read failed, and a column stops being tried as numeric at its first
 * non-number, so this costs nothing on text columns.
 */
function scanDressed(t: string, fmt: number): number {
  const n = t.length
  if (n < 2 && (fmt & 0xff00) === 0) return NaN
  let s = t
  let sign = ''
  const c0 = s.charCodeAt(0)
  if ((c0 === 45 || c0 === 43) && CURRENCY.includes(s[1])) {
    sign = s[0]
    s = s.slice(1)
  }
  if (CURRENCY.includes(s[0])) s = s.slice(1).trimStart()
  else if (CURRENCY.includes(s[s.length - 1])) s = s.slice(0, -1).trimEnd()
  else if (s.charCodeAt(s.length - 1) === 37) s = s.slice(0, -1).trimEnd()
  const th = (fmt >> 8) & 255
  const decimal = fmt & 255
  if (th !== 0 && groupedPattern(th, decimal).test(s)) s = th === 32 ? s.replace(/[ \u00a0\u202f]/g, '') : s.split(th === 46 ? '.' : ',').join('')
  if (s.length === n || s.length === 0) return NaN
  return scanPlain(sign + s, decimal)
}

/** Classifies a trimmed cell as NOT_NUMBER, INTEGER or FLOAT (rules 4 and 5); fmt as in scanNumber. */
export function numericKind(t: string, fmt: number): number {
  const v = scanNumber(t, fmt)
  return v !== v ? NOT_NUMBER : SCAN.integer ? INTEGER : FLOAT
}

/** The value of a cell numericKind accepts (NaN for anything else). */
export function numberValue(t: string, fmt: number): number {
  return scanNumber(t, fmt)
}

/** How numbers and dates are written, as the dialect says (old records lack the newer fields). */
export interface CellFormatSpec {
  decimal: '.' | ','
  thousands?: Thousands
  dateOrder?: DateOrder
}

/**
 * Packs a format into the one integer the hot loops pass around: bits 0-7 the decimal
 * separator's char code, 8-15 the thousands separator's (0: none; 32 stands for any space), 16-17
 * the order of non-ISO dates (0: none read, 1 day-first, 2 month-first).
 */
export function cellFormat(f: CellFormatSpec): number {
  const dec = f.decimal === ',' ? 44 : 46
  const th = f.thousands ? f.thousands.charCodeAt(0) : 0
  const order = f.dateOrder === 'dmy' ? 1 : f.dateOrder === 'mdy' ? 2 : 0
  return dec | (th << 8) | (order << 16)
}

/** The largest float32: numbers beyond it ("1e39") would be stored as infinity, so they are not numbers. */
export const FLOAT32_MAX = 3.4028234663852886e38

/** A trimmed cell of an integer or float column: its value, NaN when missing or not a number. */
export function numericCell(t: string, decimal: number): number {
  if (isMissing(t)) return NaN
  const v = scanNumber(t, decimal)
  return v <= FLOAT32_MAX && v >= -FLOAT32_MAX ? v : NaN
}

/** A trimmed cell of a boolean column: 1, 0 (true/false tokens, or "1"/"0"), NaN otherwise. */
export function booleanCell(t: string): number {
  if (isMissing(t)) return NaN
  const b = boolValue(t)
  if (b >= 0) return b
  return t === '1' ? 1 : t === '0' ? 0 : NaN
}

/** A trimmed cell of a date column: days since 1970-01-01 UTC, NaN when missing or not a date; fmt as in dateValue. */
export function dateCell(t: string, fmt = 0): number {
  return isMissing(t) ? NaN : dateValue(t, fmt)
}

const MS_PER_DAY = 86_400_000
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function digits(t: string, from: number, count: number): number {
  let v = 0
  for (let i = from; i < from + count; i++) {
    const d = t.charCodeAt(i) - 48
    if (d < 0 || d > 9) return -1
    v = v * 10 + d
  }
  return v
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/**
 * Parses a date or date-time (rule 6) to days since 1970-01-01 UTC, or NaN: ISO 8601 always,
 * and day-first or month-first dates when the cellFormat code fmt has a date order.
 */
export function dateValue(t: string, fmt = 0): number {
  const v = isoDate(t)
  return v === v || fmt < 0x10000 ? v : localDate(t, fmt >> 16)
}

const LOCAL_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/

/** Parts of a day-first or month-first date: [first, second, year], or null when the cell is not one. */
export function localDateParts(t: string): [number, number, number] | null {
  const m = LOCAL_DATE.exec(t)
  return m ? [Number(m[1]), Number(m[3]), Number(m[4])] : null
}

/** "03/04/2021" (optionally with " hh:mm[:ss]") in the given order (1 day-first, 2 month-first). */
function localDate(t: string, order: number): number {
  const m = LOCAL_DATE.exec(t)
  if (!m) return NaN
  const a = Number(m[1])
  const b = Number(m[3])
  const [d, mo] = order === 1 ? [a, b] : [b, a]
  const y = Number(m[4])
  if (mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]) return NaN
  if (mo === 2 && d === 29 && (y % 4 !== 0 || (y % 100 === 0 && y % 400 !== 0))) return NaN
  let day = daysFromCivil(y, mo, d)
  if (m[5] !== undefined) {
    const hh = Number(m[5])
    const mm = Number(m[6])
    const ss = m[7] === undefined ? 0 : Number(m[7])
    if (hh > 23 || mm > 59 || ss > 59) return NaN
    day += (hh * 3600 + mm * 60 + ss) / 86_400
  }
  return day
}

function digitsAt(b: Uint8Array, from: number, count: number): number {
  let v = 0
  for (let i = from; i < from + count; i++) {
    const d = b[i] - 48
    if (d < 0 || d > 9) return -1
    v = v * 10 + d
  }
  return v
}

/**
 * isoDate for the bytes b[s, e) of a cell in its two commonest shapes, "YYYY-MM-DD" (or with
 * '/') and "YYYY-MM-DD[T or space]hh:mm:ss", with isoDate's steps and arithmetic (the same
 * days); NaN for anything else, which the caller then reads as a string.
 */
export function isoDateBytes(b: Uint8Array, s: number, e: number): number {
  const n = e - s
  if (n !== 10 && n !== 19) return NaN
  const sep = b[s + 4]
  if ((sep !== 45 && sep !== 47) || b[s + 7] !== sep) return NaN
  const y = digitsAt(b, s, 4)
  const mo = digitsAt(b, s + 5, 2)
  const d = digitsAt(b, s + 8, 2)
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]) return NaN
  if (mo === 2 && d === 29 && (y % 4 !== 0 || (y % 100 === 0 && y % 400 !== 0))) return NaN
  const day = daysFromCivil(y, mo, d)
  if (n === 10) return day
  let ms = day * MS_PER_DAY
  const tc = b[s + 10]
  if (sep !== 45 || (tc !== 84 && tc !== 32) || b[s + 13] !== 58 || b[s + 16] !== 58) return NaN
  const hh = digitsAt(b, s + 11, 2)
  const mm = digitsAt(b, s + 14, 2)
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return NaN
  ms += (hh * 60 + mm) * 60_000
  const ss = digitsAt(b, s + 17, 2)
  if (ss < 0 || ss > 59) return NaN
  ms += ss * 1000
  return ms / MS_PER_DAY
}

/** Hand-written ISO 8601 reader: Date.parse accepts far too much ("1", "March 7") and is slow. */
function isoDate(t: string): number {
  const n = t.length
  if (n < 10 || n > 35) return NaN
  const sep = t.charCodeAt(4)
  if ((sep !== 45 && sep !== 47) || t.charCodeAt(7) !== sep) return NaN
  const y = digits(t, 0, 4)
  const mo = digits(t, 5, 2)
  const d = digits(t, 8, 2)
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]) return NaN
  // 2021-02-29 is not a date.
  if (mo === 2 && d === 29 && (y % 4 !== 0 || (y % 100 === 0 && y % 400 !== 0))) return NaN
  const day = daysFromCivil(y, mo, d)
  if (n === 10) return day
  let ms = day * MS_PER_DAY
  const tc = t.charCodeAt(10)
  if (sep !== 45 || (tc !== 84 && tc !== 32) || n < 16 || t.charCodeAt(13) !== 58) return NaN
  const hh = digits(t, 11, 2)
  const mm = digits(t, 14, 2)
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return NaN
  ms += (hh * 60 + mm) * 60_000
  let i = 16
  if (i < n && t.charCodeAt(i) === 58) {
    const ss = digits(t, i + 1, 2)
    if (ss < 0 || ss > 59 || i + 3 > n) return NaN
    ms += ss * 1000
    i += 3
    if (i < n && t.charCodeAt(i) === 46) {
      let j = i + 1
      let frac = 0
      let scale = 1
      while (j < n && t.charCodeAt(j) >= 48 && t.charCodeAt(j) <= 57) {
        if (scale < 1000) {
          frac = frac * 10 + (t.charCodeAt(j) - 48)
          scale *= 10
        }
        j++
      }
      if (j === i + 1) return NaN
      ms += (frac * 1000) / scale
      i = j
    }
  }
  if (i < n) {
    const z = t.charCodeAt(i)
    if (z === 90 && i === n - 1) {
      i++
    } else if (z === 43 || z === 45) {
      const oh = digits(t, i + 1, 2)
      const colon = t.charCodeAt(i + 3) === 58 ? 1 : 0
      const om = digits(t, i + 3 + colon, 2)
      if (oh < 0 || oh > 23 || om < 0 || om > 59 || i + 5 + colon !== n) return NaN
      ms -= (z === 43 ? 1 : -1) * (oh * 60 + om) * 60_000
      i = n
    }
  }
  return i === n ? ms / MS_PER_DAY : NaN
}

/** Writes days since 1970-01-01 UTC back as ISO text (a date, or a date-time when there is a time of day). */
export function dateText(days: number): string {
  const iso = new Date(Math.round(days * MS_PER_DAY)).toISOString()
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z')
}

/** A header that reads like an identifier column. */
export function looksLikeIdName(name: string): boolean {
  return /(^|[_\s.-])(id|uuid|guid|key)$|^(id|uuid|guid|key)([_\s.-]|$)|[a-z]Id$/i.test(name.trim())
}

/** What the type decision needs to know about a column, gathered in one pass. */
export interface TypeEvidence {
  name: string
  count: number
  missing: number
  /** Which of the value-shaped types every non-missing value fits (bits of TYPE_BITS). */
  candidates: number
  /** Distinct non-missing values, or -1 when more than the counter keeps (CATEGORICAL_MAX). */
  distinct: number
  /** Every non-missing value is different. */
  allUnique: boolean
  /** Integer values count up by one, row by row. */
  increasing: boolean
  /** Longest value, in characters. */
  maxLength: number
  /** Some value contains a space. */
  hasSpace: boolean
}

/** Bits for the value-shaped types a column can still be. */
export const TYPE_BITS = { boolean: 1, integer: 2, float: 4, date: 8 } as const

/** Applies rules 3-7 to a column's evidence. */
export function decideType(e: TypeEvidence): ColumnType {
  if (e.count === 0) return 'text'
  if (e.candidates & TYPE_BITS.boolean) return 'boolean'
  if (e.candidates & TYPE_BITS.integer) {
    if (e.allUnique && e.count >= 2 && ((e.increasing && e.missing === 0 && e.count >= 3) || looksLikeIdName(e.name))) return 'id'
    return 'integer'
  }
  if (e.candidates & TYPE_BITS.float) return 'float'
  if (e.candidates & TYPE_BITS.date) return 'date'
  if (e.distinct >= 0 && !e.allUnique && e.distinct <= CATEGORICAL_MAX && (e.distinct <= 20 || e.distinct * 2 <= e.count)) {
    return 'categorical'
  }
  if (e.allUnique && e.maxLength <= 64 && !e.hasSpace) return 'id'
  return 'text'
}
