// The runs table's state as plain data, the pure transitions a click makes, and the page request
// built from it. Kept free of React and the store so each rule is unit-tested on its own.
import type { RunFilter, RunListQuery, RunSort, RunState } from '../../../common/contract'
import { configKeysFor, metricsFor, type ColumnId } from './columns'

/** What the filter bar holds; empty lists and strings mean "no condition". */
export interface TableFilter {
  states: RunState[]
  tags: string[]
  datasetIds: number[]
  modelIds: number[]
  text: string
  expression: string
}

/** An empty filter. */
export const NO_FILTER: TableFilter = { states: [], tags: [], datasetIds: [], modelIds: [], text: '', expression: '' }

/** Page sizes the pager offers. */
export const PAGE_SIZES = [25, 50, 100, 200] as const

/** The parts of the table state a page request depends on. */
export interface TableQueryState {
  filter: TableFilter
  sort: RunSort | undefined
  columns: ColumnId[]
  limit: number
  offset: number
}

/** True when any filter condition is set. */
export function hasFilter(f: TableFilter): boolean {
  return f.states.length + f.tags.length + f.datasetIds.length + f.modelIds.length > 0 || f.text.trim() !== '' || f.expression.trim() !== ''
}

/** The data layer's filter for the table's: empty conditions left out, so the request stays small. */
export function toRunFilter(f: TableFilter): RunFilter | undefined {
  const out: RunFilter = {}
  if (f.states.length) out.states = [...f.states]
  if (f.tags.length) out.tags = [...f.tags]
  if (f.datasetIds.length) out.datasetIds = [...f.datasetIds]
  if (f.modelIds.length) out.modelIds = [...f.modelIds]
  if (f.text.trim()) out.text = f.text.trim()
  if (f.expression.trim()) out.expression = f.expression.trim()
  return Object.keys(out).length ? out : undefined
}

/** The `runs.list` request for the table's state. */
export function buildListQuery(s: TableQueryState, extraMetrics: readonly string[] = []): RunListQuery & { limit: number; offset: number } {
  const q: RunListQuery & { limit: number; offset: number } = {
    configKeys: configKeysFor(s.columns),
    metrics: metricsFor(s.columns, extraMetrics),
    limit: s.limit,
    offset: s.offset,
  }
  const filter = toRunFilter(s.filter)
  if (filter) q.filter = filter
  if (s.sort) q.sort = s.sort
  return q
}

/** Adds or removes one value of a multi-choice filter (states, tags, ids). */
export function toggleIn<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value]
}

/** Number of pages for a total (at least 1) and the 1-based page an offset is on. */
export function pageInfo(total: number, limit: number, offset: number): { page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(total / limit))
  return { page: Math.min(pages, Math.floor(offset / limit) + 1), pages }
}

/** The offset of a page (1-based), clamped to the pages that exist. */
export function offsetOfPage(page: number, total: number, limit: number): number {
  const { pages } = pageInfo(total, limit, 0)
  return (Math.min(Math.max(1, page), pages) - 1) * limit
}

/** Selects or deselects one run, keeping selection order; refuses to grow past max. */
export function toggleSelection(selected: readonly number[], runId: number, max: number): number[] {
  if (selected.includes(runId)) return selected.filter((id) => id !== runId)
  return selected.length >= max ? [...selected] : [...selected, runId]
}

/** The header checkbox: selects every run of the page (up to max in all), or deselects them. */
export function selectPage(selected: readonly number[], pageIds: readonly number[], on: boolean, max: number): number[] {
  if (!on) return selected.filter((id) => !pageIds.includes(id))
  const out = [...selected]
  for (const id of pageIds) if (!out.includes(id) && out.length < max) out.push(id)
  return out
}

/** The header checkbox's look: all, some or none of the page selected. */
export function pageSelectionState(selected: readonly number[], pageIds: readonly number[]): 'all' | 'some' | 'none' {
  const n = pageIds.filter((id) => selected.includes(id)).length
  return n === 0 ? 'none' : n === pageIds.length ? 'all' : 'some'
}

/** Where a parser error points: the column and token from the error's details, if it gave them. */
export function filterErrorOf(details: unknown): { column: number | null; token: string | null } {
  if (details && typeof details === 'object' && !Array.isArray(details)) {
    const d = details as { column?: unknown; token?: unknown }
    return { column: typeof d.column === 'number' ? d.column : null, token: typeof d.token === 'string' ? d.token : null }
  }
  return { column: null, token: null }
}
