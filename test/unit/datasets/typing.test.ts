import { describe, expect, it } from 'vitest'
import {
  FLOAT,
  INTEGER,
  NOT_NUMBER,
  BOOL_TOKENS,
  TYPE_BITS,
  boolToken,
  boolValue,
  booleanCell,
  dateCell,
  dateText,
  decideType,
  isMissing,
  numberValue,
  numericCell,
  numericKind,
  trimCell,
  type TypeEvidence,
} from '../../../common/datasets/typing'
import { seededRandom } from '../../../common/datasets/prng'

const DOT = 46
const COMMA = 44

describe('cell typing rules', () => {
  it('reads exactly the twelve boolean tokens, and no other casing or neighbour of them', () => {
    const words = ['true', 'false', 'yes', 'no', 'tru', 'fals', 'ye', 'n', 'truee', 'nope', 'yess', 'off', 'on', 'y', 't', 'f']
    // Every casing of every word: only lower, UPPER and Title are tokens.
    const casings = (w: string): string[] => {
      const out: string[] = []
      for (let m = 0; m < 1 << w.length; m++) out.push([...w].map((c, i) => (m >> i) & 1 ? c.toUpperCase() : c).join(''))
      return out
    }
    const tried = new Set<string>()
    for (const w of words) for (const c of casings(w)) for (const s of [c, ` ${c}`, `${c}1`, `1${c}`]) tried.add(s)
    for (let c = 0; c < 400; c++) tried.add(`${String.fromCharCode(c)}rue`).add(`${String.fromCharCode(c)}O`).add(`${String.fromCharCode(c)}es`)
    for (const s of tried) {
      const k = BOOL_TOKENS.indexOf(s)
      expect(boolToken(s), s).toBe(k)
      expect(boolValue(s), s).toBe(k < 0 ? -1 : k < 6 ? 1 : 0)
    }
    expect(BOOL_TOKENS.map(boolValue)).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
  })

  it('classifies numbers by shape, refusing leading zeros, infinities and stray characters', () => {
    const cases: [string, number][] = [
      ['0', INTEGER],
      ['-7', INTEGER],
      ['+42', INTEGER],
      ['00123', NOT_NUMBER],
      ['0123', NOT_NUMBER],
      ['1e5', FLOAT],
      ['2.5E-3', FLOAT],
      ['.5', FLOAT],
      ['5.', FLOAT],
      ['-0.0', FLOAT],
      ['0.5', FLOAT],
      ['1.', FLOAT],
      ['.', NOT_NUMBER],
      ['-', NOT_NUMBER],
      ['1e', NOT_NUMBER],
      ['1e+', NOT_NUMBER],
      ['inf', NOT_NUMBER],
      ['Infinity', NOT_NUMBER],
      ['NaN', NOT_NUMBER],
      ['0x10', NOT_NUMBER],
      ['1,5', NOT_NUMBER],
      ['1 000', NOT_NUMBER],
      ['12abc', NOT_NUMBER],
    ]
    for (const [s, kind] of cases) expect([s, numericKind(s, DOT)]).toEqual([s, kind])
    expect(numericKind('1,5', COMMA)).toBe(FLOAT)
    expect(numericKind('1.5', COMMA)).toBe(NOT_NUMBER)
  })

  it('reads numbers exactly as Number() does, fast path or not', () => {
    const random = seededRandom(7)
    const samples = ['0', '-0', '1e5', '2.5E-3', '.5', '5.', '123456789012345', '1234567890123456789', '1e22', '1e23', '1e-23', '0.000001234']
    for (let i = 0; i < 20_000; i++) {
      const v = (random() - 0.5) * 10 ** Math.floor(random() * 24 - 12)
      samples.push(v.toFixed(Math.floor(random() * 9)), v.toExponential(Math.floor(random() * 7)), String(v))
    }
    for (const s of samples) {
      if (numericKind(s, DOT) === NOT_NUMBER) continue
      expect(Object.is(numberValue(s, DOT), Number(s)), s).toBe(true)
      expect(Object.is(numberValue(s.replace('.', ','), COMMA), Number(s)), s).toBe(true)
    }
  })

  it('treats the missing tokens as missing and nothing else', () => {
    for (const t of ['', 'NA', 'na', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A', '?', '-']) expect(isMissing(t), t).toBe(true)
    for (const t of ['0', 'none', 'Null', 'nil', '--', '-1', 'NAN', 'No', 'N']) expect(isMissing(t), t).toBe(false)
    expect(numericCell('NaN', DOT)).toBeNaN()
    expect(numericCell(trimCell('  12 '), DOT)).toBe(12)
    expect(numericCell('1e39', DOT)).toBeNaN()
  })

  it('reads booleans in any usual case, and 0/1 only in boolean columns', () => {
    expect(['TRUE', 'True', 'true', 'yes', 'YES', 'Yes'].map(booleanCell)).toEqual([1, 1, 1, 1, 1, 1])
    expect(['FALSE', 'False', 'false', 'no', 'NO', 'No'].map(booleanCell)).toEqual([0, 0, 0, 0, 0, 0])
    expect([booleanCell('1'), booleanCell('0'), booleanCell('2'), booleanCell('')]).toEqual([1, 0, NaN, NaN])
  })

  it('reads ISO dates and date-times as days since 1970 UTC, refusing impossible ones', () => {
    expect(dateCell('1970-01-01')).toBe(0)
    expect(dateCell('1970-01-02')).toBe(1)
    expect(dateCell('2000-02-29')).toBe(Date.UTC(2000, 1, 29) / 86_400_000)
    const random = seededRandom(3)
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor((random() - 0.3) * 4e12 / 60_000) * 60_000
      const iso = new Date(ms).toISOString()
      expect(dateCell(iso.slice(0, 10)), iso).toBe(Math.floor(ms / 86_400_000))
      expect(dateCell(iso), iso).toBe(ms / 86_400_000)
    }
    expect(dateCell('2021/03/04')).toBe(dateCell('2021-03-04'))
    expect(dateCell('1970-01-01T12:00:00Z')).toBe(0.5)
    expect(dateCell('1970-01-01 06:00')).toBe(0.25)
    expect(dateCell('1970-01-02T00:00:00+12:00')).toBe(0.5)
    expect(dateCell('1970-01-01T00:00:00.500Z')).toBeCloseTo(0.5 / 86400, 12)
    expect(dateCell('1969-12-31')).toBe(-1)
    for (const bad of ['2021-02-29', '2021-13-01', '2021-04-31', '03/04/2021', '2021-3-4', '2021-03-04T25:00', '20210304', 'tomorrow']) {
      expect(dateCell(bad), bad).toBeNaN()
    }
    expect(dateText(dateCell('2021-03-04'))).toBe('2021-03-04')
    expect(dateText(dateCell('2021-03-04T10:20:00Z'))).toBe('2021-03-04T10:20:00Z')
  })
})

describe('decideType', () => {
  const base: TypeEvidence = { name: 'x', count: 100, missing: 0, candidates: 0, distinct: 50, allUnique: false, increasing: false, maxLength: 5, hasSpace: false }
  it('picks boolean, integer, float and date from the shapes every value fits', () => {
    expect(decideType({ ...base, candidates: TYPE_BITS.boolean })).toBe('boolean')
    expect(decideType({ ...base, candidates: TYPE_BITS.integer | TYPE_BITS.float })).toBe('integer')
    expect(decideType({ ...base, candidates: TYPE_BITS.float })).toBe('float')
    expect(decideType({ ...base, candidates: TYPE_BITS.date })).toBe('date')
  })
  it('calls unique counting integers or id-named integers an id, and other unique integers integer', () => {
    const ints = { ...base, candidates: TYPE_BITS.integer | TYPE_BITS.float, allUnique: true, distinct: -1 }
    expect(decideType({ ...ints, increasing: true })).toBe('id')
    expect(decideType({ ...ints, name: 'customer_id' })).toBe('id')
    expect(decideType({ ...ints, name: 'income' })).toBe('integer')
  })
  it('splits text into categorical, id and text by distinct values', () => {
    expect(decideType({ ...base, distinct: 5 })).toBe('categorical')
    expect(decideType({ ...base, distinct: 50 })).toBe('categorical')
    expect(decideType({ ...base, distinct: 80 })).toBe('text')
    expect(decideType({ ...base, distinct: -1 })).toBe('text')
    expect(decideType({ ...base, distinct: 100, allUnique: true })).toBe('id')
    expect(decideType({ ...base, distinct: 100, allUnique: true, hasSpace: true })).toBe('text')
    expect(decideType({ ...base, count: 0, distinct: 0 })).toBe('text')
  })
})
