import { describe, expect, it } from 'vitest'
import { ByteCells } from '../../../main/datasets/csv/byteRows'
import { ColumnProfile } from '../../../main/datasets/csv/profile'
import { seededRandom } from '../../../common/datasets/prng'
import { BOOL_TOKENS, boolToken, boolTokenBytes, dateValue, isoDateBytes, scanNumber, scanPlainBytes, SCAN } from '../../../common/datasets/typing'

/** The text v as the byte reader hands a one-field record to the profiles (its number, date read as the reader reads them). */
function cellOf(v: string): ByteCells {
  const c = new ByteCells((d, a, b) => d.toString('utf8', a, b), 46)
  c.data = Buffer.from(v, 'utf8')
  c.add(0, c.data.length, false)
  return c
}

/** Cells that look like numbers, nearly numbers, and not numbers at all. */
function cells(count: number, seed: number): string[] {
  const r = seededRandom(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]
  const out: string[] = []
  for (let k = 0; k < count; k++) {
    const x = r()
    out.push(
      x < 0.2
        ? String(Math.floor(r() * 2000) - 1000)
        : x < 0.4
          ? (r() * 1e4 - 5e3).toFixed(Math.floor(r() * 6))
          : x < 0.5
            ? (r() * 1e6).toExponential(Math.floor(r() * 8))
            : x < 0.6
              ? String(Math.floor(r() * 1e18))
              : pick(['', '-', 'NA', 'nan', '+7', '-0', '0', '00', '007', '1.', '.5', '-.5', '1e', '1e+', '1e400', '5E-3', ' 4', '4 ', '1,5', '12345678901234567', '0.1234567890123456', 'x', '1e22', '1e23', '3.4e38', '3.5e38']),
    )
  }
  return out
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]
}

/** ISO dates and date-times (some not dates at all), from `spread` seconds after 2020. */
function dates(count: number, seed: number, spread: number): string[] {
  const r = seededRandom(seed)
  return Array.from({ length: count }, (_, k) => {
    const iso = new Date(Date.UTC(2020, 0, 1) + Math.floor(r() * spread) * 1000).toISOString()
    const x = r()
    if (k % 2 === 0) return iso.slice(0, 10)
    if (x < 0.05) return iso.slice(0, 10).replace(/-/g, '/')
    if (x < 0.1) return iso.slice(0, 19).replace('T', ' ')
    if (x < 0.12) return iso
    if (x < 0.13) return ['2021-02-29', '2020-02-29', '2021-13-01', '2021-01-01T24:00:00', '2021/01/01T10:00:00', '', 'NA'][Math.floor(r() * 7)]
    return iso.slice(0, 19)
  })
}

describe('numbers typed from bytes', () => {
  it('isoDateBytes gives the days dateValue gives, or NaN where it would read the text otherwise', () => {
    let read = 0
    for (const t of [...dates(5000, 5, 1e9), '2021-02-29', '2020-02-29', '2021-1-01', '2021-01-01 10:00:61', '2021-01-01T10:00Z', 'x'.repeat(19)]) {
      const b = Buffer.from(t, 'latin1')
      const v = isoDateBytes(b, 0, b.length)
      if (v !== v) continue
      read++
      expect(Object.is(v, dateValue(t)), t).toBe(true)
    }
    expect(read).toBeGreaterThan(4000)
  })

  it('boolTokenBytes gives the token boolToken gives, for tokens and near misses', () => {
    const near = ['', 't', 'tr', 'tRUE', 'TRue', 'trUe', 'yes ', ' no', 'nO', 'No.', 'n', 'falsy', 'FALSe', 'YEs', 'truee', 'on', 'off', '1', '0', 'NA', 'nan', 'Ja', 'ÿes']
    for (const t of [...BOOL_TOKENS, ...near]) {
      const b = Buffer.from(`,${t},`, 'latin1')
      expect(boolTokenBytes(b, 1, b.length - 1), t).toBe(boolToken(t))
    }
    expect(BOOL_TOKENS.map((t) => boolToken(t)).every((k) => k >= 0)).toBe(true)
  })

  it('scanPlainBytes gives the double scanNumber gives, or NaN where it would read the text otherwise', () => {
    for (const t of cells(20_000, 7)) {
      const b = Buffer.from(`,${t},`, 'latin1')
      const v = scanPlainBytes(b, 1, b.length - 1, 46)
      if (v !== v) continue
      const bytesInteger = SCAN.integer
      expect(Object.is(v, scanNumber(t, 46)), t).toBe(true)
      expect(bytesInteger, t).toBe(SCAN.integer)
    }
  })

  it('a profile fed bytes where it can ends exactly as one fed the text of every cell', () => {
    const r = seededRandom(3)
    const columns: string[][] = [
      cells(5000, 11),
      Array.from({ length: 5000 }, (_, i) => String(i + 1)),
      Array.from({ length: 5000 }, () => String(Math.floor(r() * 40) - 20)),
      Array.from({ length: 5000 }, () => (r() * 100).toFixed(2)),
      Array.from({ length: 5000 }, (_, i) => (i === 4000 ? 'NA' : ((i % 1200) * 0.5).toFixed(1))),
      Array.from({ length: 5000 }, (_, i) => (i === 3000 ? 'text' : String(i % 1500))),
      Array.from({ length: 5000 }, (_, i) => ['red', 'green', 'blue', 'dark red', 'NA', ' red', 'grün'][i % 7]),
      Array.from({ length: 5000 }, (_, i) => (i < 1200 ? `w ${i}` : i % 2 ? `v${i}` : `é${i % 50}`)),
      Array.from({ length: 5000 }, (_, i) => `id${(i * 7919) % 5000}`),
      Array.from({ length: 5000 }, (_, i) => ((i % 400) / 10 - 10).toFixed(1)),
      dates(5000, 21, 1500),
      dates(5000, 22, 1e9),
      Array.from({ length: 5000 }, () => pick(r, ['true', 'false', 'TRUE', 'False', 'yes', 'no', 'NO', 'Yes', '', 'NA', ' true', 'no '])),
      Array.from({ length: 5000 }, (_, i) => (i === 3000 ? 'maybe' : i % 3 ? 'true' : 'FALSE')),
    ]
    for (const [k, values] of columns.entries()) {
      for (const laterPart of [false, true]) {
        const a = new ColumnProfile('x', 46, undefined, values.length, false, laterPart)
        const b = new ColumnProfile('x', 46, undefined, values.length, false, laterPart)
        const lines = { lineOf: (row: number) => row + 2 }
        let viaBytes = 0
        values.forEach((v, i) => {
          a.add(v, i, lines)
          const cell = cellOf(v)
          if (b.addBytes(cell, 0, i)) viaBytes++
          else {
            b.add(v, i, lines)
            b.learnBytes(cell, 0, i)
          }
        })
        expect(b.state(), `column ${k}`).toEqual(a.state())
        expect(Array.from(b.vals)).toEqual(Array.from(a.vals))
        expect(Array.from(b.codes)).toEqual(Array.from(a.codes))
        expect(b.evidence()).toEqual(a.evidence())
        // Every column has long stretches the bytes can take.
        if (!laterPart) expect(viaBytes, `column ${k}`).toBeGreaterThan(values.length / 4)
      }
    }
  })
})

describe("a later part's increasing integers (split read)", () => {
  /** A profile fed `values`, every other cell through addBytes where it takes it. */
  function fed(values: string[], laterPart: boolean): ColumnProfile {
    const p = new ColumnProfile('n', 46, undefined, values.length, false, laterPart)
    const lines = { lineOf: (row: number) => row + 2 }
    values.forEach((v, i) => {
      const cell = cellOf(v)
      if (i % 2 === 1 && p.addBytes(cell, 0, i)) return
      p.add(v, i, lines)
      p.learnBytes(cell, 0, i)
    })
    return p
  }
  const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, k) => String(from + k))
  // 1..1500 in a shuffled order: all different, known by their hashes.
  const shuffled = Array.from({ length: 1500 }, (_, i) => String(((i * 7919) % 1500) + 1))

  it.each([
    ['a run that continues the first part', range(1, 1500), range(1501, 3000), true, true],
    ['a run after a gap, no value in common', shuffled, range(3001, 4500), true, true],
    ['a run over values the first part holds', shuffled, range(1001, 2500), true, false],
    ['a run that ends with a repeat', shuffled, [...range(1501, 3000), '2000'], false, false],
    ['a run that ends with a new value', shuffled, [...range(1501, 3000), '99999', '3001'], false, true],
    ['a run with a value written otherwise', shuffled, [...range(1501, 2599), '+2600', ...range(2601, 3000)], false, true],
    ['a run with a leading zero, then the same number plainly written', shuffled, [...range(1501, 2599), '02600', '2600'], false, true],
  ])('%s: its hashes wait for the run to end, and the merge tells uniqueness as the values say', (_, first, later, deferred, unique) => {
    const b = fed(later, true)
    expect(b.state().uniqueRun).toBe(deferred)
    if (deferred) expect(b.state().uniqueHashes).toBeNull()
    const a = fed(first, false)
    a.mergeLater(b.state(), first.length)
    expect(a.evidence().allUnique).toBe(unique)
  })
})
