import { describe, expect, it } from 'vitest'
import { availableColumns, columnDef, configKeysFor, DEFAULT_COLUMNS, metricsFor, nextSort, orderColumns, sortColumnId, toggleColumn } from '../../../renderer/src/compare/columns'
import {
  buildListQuery,
  filterErrorOf,
  hasFilter,
  NO_FILTER,
  offsetOfPage,
  pageInfo,
  pageSelectionState,
  selectPage,
  toggleIn,
  toggleSelection,
  toRunFilter,
} from '../../../renderer/src/compare/tableQuery'
import { normalizeRows, unionClasses, cellIntensity } from '../../../renderer/src/compare/confusion'
import { formatDuration, formatMetric, formatValue } from '../../../renderer/src/compare/format'

describe('runs table sorting', () => {
  it('cycles a header through ascending, descending and the default order', () => {
    const a = nextSort(undefined, 'name')
    expect(a).toEqual({ by: 'name', dir: 'asc' })
    const b = nextSort(a, 'name')
    expect(b).toEqual({ by: 'name', dir: 'desc' })
    expect(nextSort(b, 'name')).toBeUndefined()
  })

  it('sorts config and metric columns by key and statistic; another column starts over ascending', () => {
    expect(nextSort({ by: 'name', dir: 'desc' }, 'config:learningRate')).toEqual({ by: 'config', key: 'learningRate', dir: 'asc' })
    const m = nextSort(undefined, 'metric:val_loss:last')
    expect(m).toEqual({ by: 'metric', metric: 'val_loss', stat: 'last', dir: 'asc' })
    expect(sortColumnId(m)).toBe('metric:val_loss:last')
    expect(sortColumnId({ by: 'metric', metric: 'acc' })).toBe('metric:acc:best')
  })

  it('leaves unsortable columns alone', () => {
    const s = { by: 'name' as const, dir: 'asc' as const }
    expect(nextSort(s, 'tags')).toBe(s)
  })
})

describe('runs table columns', () => {
  it('names metric columns by statistic and keeps fixed ones', () => {
    expect(columnDef('metric:val_accuracy:best').label).toBe('best val_accuracy')
    expect(columnDef('metric:loss:last').label).toBe('final loss')
    expect(toggleColumn(['name', 'state'], 'name')).toEqual(['name', 'state'])
    expect(toggleColumn(['name', 'state'], 'state')).toEqual(['name'])
    expect(toggleColumn(['name'], 'backend')).toEqual(['name', 'backend'])
  })

  it('offers best and final columns for every logged metric, in table order', () => {
    const ids = availableColumns(['mae']).map((c) => c.id)
    expect(ids).toContain('metric:mae:best')
    expect(ids).toContain('metric:mae:last')
    expect(ids.indexOf('name')).toBe(0)
    const ordered = orderColumns(['tags', 'config:epochs', 'state'], []).map((c) => c.id)
    expect(ordered).toEqual(['name', 'state', 'config:epochs', 'tags'])
  })

  it('asks the server only for the config keys and metrics the visible columns need', () => {
    expect(configKeysFor(DEFAULT_COLUMNS)).toEqual(['optimizer', 'learningRate', 'batchSize', 'epochs'])
    expect(metricsFor(DEFAULT_COLUMNS, ['val_accuracy', 'f1'])).toEqual(['val_accuracy', 'val_loss', 'loss', 'f1'])
  })
})

describe('runs table filter and page request', () => {
  it('leaves empty conditions out of the request', () => {
    expect(toRunFilter(NO_FILTER)).toBeUndefined()
    expect(hasFilter(NO_FILTER)).toBe(false)
    const f = { ...NO_FILTER, states: ['completed' as const], text: '  lr ', expression: 'val_accuracy > 0.9' }
    expect(hasFilter(f)).toBe(true)
    expect(toRunFilter(f)).toEqual({ states: ['completed'], text: 'lr', expression: 'val_accuracy > 0.9' })
  })

  it('builds the page request from the table state', () => {
    const q = buildListQuery({ filter: { ...NO_FILTER, tags: ['a'] }, sort: { by: 'duration', dir: 'desc' }, columns: ['name', 'config:seed', 'metric:loss:best'], limit: 25, offset: 50 }, ['val_accuracy'])
    expect(q).toEqual({ filter: { tags: ['a'] }, sort: { by: 'duration', dir: 'desc' }, configKeys: ['seed'], metrics: ['loss', 'val_accuracy'], limit: 25, offset: 50 })
  })

  it('toggles multi-choice values', () => {
    expect(toggleIn(['a'], 'b')).toEqual(['a', 'b'])
    expect(toggleIn(['a', 'b'], 'a')).toEqual(['b'])
  })

  it('counts pages and clamps page offsets', () => {
    expect(pageInfo(0, 50, 0)).toEqual({ page: 1, pages: 1 })
    expect(pageInfo(101, 50, 100)).toEqual({ page: 3, pages: 3 })
    expect(offsetOfPage(5, 101, 50)).toBe(100)
    expect(offsetOfPage(0, 101, 50)).toBe(0)
  })

  it('reads the column and token from a parser error’s details', () => {
    expect(filterErrorOf({ column: 5, token: '$' })).toEqual({ column: 5, token: '$' })
    expect(filterErrorOf([{ field: 'x' }])).toEqual({ column: null, token: null })
    expect(filterErrorOf(undefined)).toEqual({ column: null, token: null })
  })
})

describe('runs table selection', () => {
  it('ticks and unticks runs in pick order, up to a maximum', () => {
    expect(toggleSelection([3, 1], 2, 10)).toEqual([3, 1, 2])
    expect(toggleSelection([3, 1, 2], 1, 10)).toEqual([3, 2])
    expect(toggleSelection([1, 2], 3, 2)).toEqual([1, 2])
  })

  it('selects or clears a whole page and reports the header state', () => {
    expect(selectPage([9], [1, 2, 3], true, 10)).toEqual([9, 1, 2, 3])
    expect(selectPage([9, 1, 2, 3], [1, 2, 3], false, 10)).toEqual([9])
    expect(selectPage([], [1, 2, 3], true, 2)).toEqual([1, 2])
    expect(pageSelectionState([1, 2], [1, 2])).toBe('all')
    expect(pageSelectionState([1], [1, 2])).toBe('some')
    expect(pageSelectionState([], [1, 2])).toBe('none')
    expect(pageSelectionState([], [])).toBe('none')
  })
})

describe('confusion matrices and formatting', () => {
  it('normalizes rows by the true class, leaving empty rows at zero', () => {
    expect(normalizeRows([[3, 1], [0, 0]])).toEqual([[0.75, 0.25], [0, 0]])
    expect(cellIntensity(5, 10, false)).toBe(0.5)
    expect(cellIntensity(0.3, 10, true)).toBe(0.3)
    expect(unionClasses([['a', 'b'], ['b', 'c']])).toEqual(['a', 'b', 'c'])
  })

  it('prints metrics, values and durations', () => {
    expect(formatMetric(null)).toBe('–')
    expect(formatMetric(NaN)).toBe('NaN')
    expect(formatMetric(0.912345)).toBe('0.9123')
    expect(formatMetric(1e-5)).toBe('1.000e-5')
    expect(formatValue({ kind: 'none' })).toBe('{"kind":"none"}')
    expect(formatValue(undefined)).toBe('–')
    expect(formatDuration(12_345)).toBe('12.3 s')
    expect(formatDuration(185_000)).toBe('3 min 05 s')
    expect(formatDuration(3_720_000)).toBe('1 h 02 min')
  })
})
