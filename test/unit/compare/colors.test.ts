import { describe, expect, it } from 'vitest'
import { runColor, runColorAlpha, runHue } from '../../../renderer/src/compare/colors'

const hueDistance = (a: number, b: number) => {
  const d = Math.abs(a - b) % 360
  return Math.min(d, 360 - d)
}

describe('run colors', () => {
  it('gives a run the same color every time (every chart and table agrees)', () => {
    expect(runColor(17)).toBe(runColor(17))
    expect(runColorAlpha(17, 0.25)).toContain(`hsl(${runHue(17)} `)
  })

  it('spreads consecutive ids far apart on the color wheel', () => {
    for (let id = 1; id < 200; id++) expect(hueDistance(runHue(id), runHue(id + 1))).toBeGreaterThan(60)
  })

  it('keeps the first hundred runs on distinct colors', () => {
    const colors = new Set(Array.from({ length: 100 }, (_, i) => runColor(i + 1)))
    expect(colors.size).toBe(100)
  })

  it('writes valid CSS hsl() colors with the alpha in range', () => {
    expect(runColor(3)).toMatch(/^hsl\(\d+(\.\d)? 70% \d+%\)$/)
    expect(runColorAlpha(3, 0.2)).toMatch(/^hsl\(\d+(\.\d)? 70% \d+% \/ 0\.2\)$/)
  })
})
