import { describe, expect, it } from 'vitest'
import { FilterSyntaxError, parseFilter } from '../../../main/runs/filter'

function syntaxError(src: string): FilterSyntaxError {
  try {
    parseFilter(src)
  } catch (e) {
    if (e instanceof FilterSyntaxError) return e
    throw e
  }
  throw new Error(`"${src}" parsed`)
}

describe('parseFilter', () => {
  it('parses conditions joined by AND, with every operator and number form', () => {
    expect(parseFilter('val_accuracy > 0.9')).toEqual([{ field: { kind: 'metric', metric: 'val_accuracy', stat: 'best' }, op: '>', value: 0.9 }])
    const all = parseFilter('a>=1 AND b<=-2.5 and c<.5 && d=1e-3 AND e != 2 AND f == 3')
    expect(all.map((c) => [c.op, c.value])).toEqual([['>=', 1], ['<=', -2.5], ['<', 0.5], ['=', 0.001], ['!=', 2], ['=', 3]])
  })

  it('reads statistics and config paths', () => {
    expect(parseFilter('loss.last < 0.3')[0]?.field).toEqual({ kind: 'metric', metric: 'loss', stat: 'last' })
    expect(parseFilter('loss.final < 0.3')[0]?.field).toEqual({ kind: 'metric', metric: 'loss', stat: 'last' })
    expect(parseFilter('val_loss.MAX < 2')[0]?.field).toEqual({ kind: 'metric', metric: 'val_loss', stat: 'max' })
    expect(parseFilter('config.schedule.factor >= 0.5')[0]?.field).toEqual({ kind: 'config', path: ['schedule', 'factor'] })
  })

  it('treats an empty or blank filter as no conditions', () => {
    expect(parseFilter('')).toEqual([])
    expect(parseFilter('   ')).toEqual([])
  })

  it('names the bad token and its column', () => {
    const cases: [string, RegExp, string][] = [
      ['val_accuracy ~ 0.9', /Unexpected "~" at column 14/, '~'],
      ['val_accuracy 0.9', /Expected a comparison .* after "val_accuracy", found "0.9" at column 14/, '0.9'],
      ['val_accuracy >', /Expected a number after "val_accuracy >", found the end of the filter/, ''],
      ['val_accuracy > high', /Expected a number after "val_accuracy >", found "high" at column 16/, 'high'],
      ['a > 1 b > 2', /Expected AND between conditions, found "b" at column 7/, 'b'],
      ['a > 1 AND', /Expected a condition after "AND" at column 7/, 'AND'],
      ['> 1', /Expected a metric name .* found ">" at column 1/, '>'],
      ['loss.median < 1', /Unknown statistic "median" in "loss.median" at column 1/, 'loss.median'],
      ['config > 1', /"config" at column 1 needs a key/, 'config'],
      ['loss < 1e999', /out of range/, '1e999'],
      ['loss < 1 OR acc > 2', /Expected AND between conditions, found "OR" at column 10/, 'OR'],
    ]
    for (const [src, message, token] of cases) {
      const e = syntaxError(src)
      expect(e.message, src).toMatch(message)
      expect(e.token, src).toBe(token)
    }
  })
})
