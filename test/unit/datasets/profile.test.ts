import { describe, expect, it } from 'vitest'
import { ColumnProfile } from '../../../main/datasets/csv/profile'
import { decideType } from '../../../common/datasets/typing'

function profile(values: string[], forced?: 'integer' | 'float' | 'boolean' | 'date' | 'categorical'): ColumnProfile {
  const p = new ColumnProfile('x', 46, forced, values.length)
  const lines = { lineOf: (row: number) => row + 2 }
  values.forEach((v, i) => p.add(v, i, lines))
  return p.finish()
}

describe('ColumnProfile', () => {
  it('counts "5", "+5" and "-0" as the distinct texts they are, and codes each row by its text', () => {
    const p = profile(['5', '+5', '5', '-0', '0', 'abc'])
    expect([...(p.distinct ?? [])]).toEqual([
      ['5', 2],
      ['+5', 1],
      ['-0', 1],
      ['0', 1],
      ['abc', 1],
    ])
    const slots = p.slotMap()
    expect(Array.from(p.codes)).toEqual(['5', '+5', '5', '-0', '0', 'abc'].map((v) => slots.get(v)))
    expect(p.notNumber).toEqual({ value: 'abc', line: 7 })
  })

  it('stores values while a value type is possible, NaN for missing, and keeps the range', () => {
    const p = profile(['3', '', '-1.5', 'NA', '1e2'])
    expect(decideType(p.evidence())).toBe('float')
    expect(p.keepsValues).toBe(true)
    expect(Array.from(p.vals)).toEqual([3, NaN, -1.5, NaN, 100])
    expect([p.numMin, p.numMax, p.count, p.missing]).toEqual([-1.5, 100, 3, 2])
  })

  it('stops keeping values once no value type fits, and stops keeping codes past 1,000 distinct values', () => {
    const p = profile(['1', 'x'])
    expect(p.keepsValues).toBe(false)
    const many = profile(Array.from({ length: 1500 }, (_, i) => `v${i}`))
    expect(many.keepsCodes).toBe(false)
    expect(many.evidence()).toMatchObject({ distinct: -1, allUnique: true })
    expect(decideType(many.evidence())).toBe('id')
    const repeat = profile([...Array.from({ length: 1500 }, (_, i) => `v${i}`), 'v7'])
    expect(repeat.evidence().allUnique).toBe(false)
    expect(decideType(repeat.evidence())).toBe('text')
  })

  it('parses every value with a forced type, counting what does not parse', () => {
    const p = profile(['1', 'yes', '0', 'maybe'], 'boolean')
    expect(Array.from(p.vals)).toEqual([1, 1, 0, NaN])
    expect([p.unparsed, p.firstUnparsed]).toEqual([1, { value: 'maybe', line: 5 }])
  })

  it('tells a row number from other unique integers', () => {
    expect(decideType(profile(['1', '2', '3', '4']).evidence())).toBe('id')
    expect(decideType(profile(['1', '3', '2', '4']).evidence())).toBe('integer')
    expect(decideType(profile(['1', '2', '', '4']).evidence())).toBe('integer')
  })
})
