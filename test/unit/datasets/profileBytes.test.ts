import { describe, expect, it } from 'vitest'
import { ColumnProfile } from '../../../main/datasets/csv/profile'
import { seededRandom } from '../../../common/datasets/prng'
import { scanNumber, scanPlainBytes, SCAN } from '../../../common/datasets/typing'

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

describe('numbers typed from bytes', () => {
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
    ]
    for (const [k, values] of columns.entries()) {
      for (const laterPart of [false, true]) {
        const a = new ColumnProfile('x', 46, undefined, values.length, false, laterPart)
        const b = new ColumnProfile('x', 46, undefined, values.length, false, laterPart)
        const lines = { lineOf: (row: number) => row + 2 }
        let viaBytes = 0
        values.forEach((v, i) => {
          a.add(v, i, lines)
          const buf = Buffer.from(v, 'latin1')
          if (b.addBytes(buf, 0, buf.length, i)) viaBytes++
          else b.add(v, i, lines)
        })
        expect(b.state(), `column ${k}`).toEqual(a.state())
        expect(Array.from(b.vals)).toEqual(Array.from(a.vals))
        expect(Array.from(b.codes)).toEqual(Array.from(a.codes))
        expect(b.evidence()).toEqual(a.evidence())
        // Every column but the first (mostly not numbers) has stretches the bytes can type.
        if (k > 0 && !laterPart) expect(viaBytes, `column ${k}`).toBeGreaterThan(values.length / 4)
      }
    }
  })
})
