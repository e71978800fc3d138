import { MAX_COMPARE_RUNS, type RunListRow, type RunMeta, type SeriesX } from '../../../common/contract'
import { getApi } from '../api/api'
import { configKeysFor, metricsFor, type ColumnId } from '../compare/columns'
import { buildListQuery, filterErrorOf, offsetOfPage, selectPage, toggleSelection, toRunFilter, type TableFilter } from '../compare/tableQuery'
import { openSection } from './actions'
import type { CompareState, CompareTab, NewRunPrefill } from './compareSlice'
import { useAppStore } from './index'
import { reportFailure } from './reportError'

const get = () => useAppStore.getState().compare
const patch = (p: Partial<CompareState>) => useAppStore.setState((s) => ({ compare: { ...s.compare, ...p } }))
const fail = (text: string) => patch({ message: { kind: 'error', text } })

/** The selection as a cache key: views refetch when it changes. */
export const selectionKey = (ids: readonly number[]): string => ids.join(',')

// Each kind of request carries a sequence number; an answer that arrives after a newer request
// was sent is dropped, so a slow page never overwrites a faster, later one.
let pageSeq = 0
const seriesSeq: Record<string, number> = {}

/** Loads the table page for the current filter, sort, columns and paging. */
export async function loadPage(): Promise<void> {
  const seq = ++pageSeq
  const s = get()
  patch({ loading: true })
  const res = await getApi().runs.list(buildListQuery(s, [s.pcMetric]))
  if (seq !== pageSeq) return
  if (!res.ok) {
    if (res.code === 'invalid_filter') {
      patch({ loading: false, filterError: { message: res.message, ...filterErrorOf(res.details) } })
    } else patch({ loading: false, message: { kind: 'error', text: res.message } })
    return
  }
  const page = res.value
  // After deletes or a narrower filter the page may lie past the end: step back to the last one.
  if (page.rows.length === 0 && page.total > 0 && s.offset > 0) {
    patch({ offset: offsetOfPage(Number.MAX_SAFE_INTEGER, page.total, s.limit) })
    return loadPage()
  }
  const selectedRows = { ...get().selectedRows }
  for (const row of page.rows) if (selectedRows[row.id]) selectedRows[row.id] = row
  patch({ page, loading: false, filterError: null, selectedRows })
  await loadSelectionFacts()
}

let factsSeq = 0

/**
 * Which selected runs the filter hides (the charts draw only the others) and each selected run's
 * loss function (runs trained on different losses get separate loss charts).
 */
export async function loadSelectionFacts(): Promise<void> {
  const seq = ++factsSeq
  const s = get()
  if (s.selected.length === 0) return patch({ hiddenByFilter: [], lossOf: {} })
  const api = getApi()
  const filter = toRunFilter(s.filter)
  const [all, shown] = await Promise.all([
    api.runs.list({ filter: { runIds: s.selected }, configKeys: ['loss'], metrics: [], limit: MAX_COMPARE_RUNS }),
    filter ? api.runs.list({ filter: { ...filter, runIds: s.selected }, configKeys: [], metrics: [], limit: MAX_COMPARE_RUNS }) : null,
  ])
  if (seq !== factsSeq) return
  const lossOf: Record<number, string> = {}
  if (!all.ok) reportFailure('Reading the selected runs', all)
  // A filter the table refuses is shown beside the filter box (loadPage); any other failure is reported.
  if (shown && !shown.ok && shown.code !== 'invalid_filter') reportFailure('Applying the filter to the selection', shown)
  if (all.ok) for (const r of all.value.rows) if (typeof r.config.loss === 'string') lossOf[r.id] = r.config.loss
  const visible = shown?.ok ? new Set(shown.value.rows.map((r) => r.id)) : null
  patch({ lossOf, hiddenByFilter: visible ? get().selected.filter((id) => !visible.has(id)) : [] })
}

/** Loads the filter menus' choices (states, tags, models, datasets, metric names). */
export async function loadFacets(): Promise<void> {
  const res = await getApi().runs.facets({})
  if (!res.ok) return reportFailure('Loading the filter choices', res)
  patch({ facets: res.value })
}

/** Refreshes the rows of the selected runs (state, metrics) wherever they are in the table. */
export async function loadSelectedRows(): Promise<void> {
  const s = get()
  if (s.selected.length === 0) return
  const res = await getApi().runs.list({
    filter: { runIds: s.selected },
    metrics: metricsFor(s.columns, [s.pcMetric]),
    configKeys: configKeysFor(s.columns),
    limit: MAX_COMPARE_RUNS,
  })
  if (!res.ok) return reportFailure('Refreshing the selected runs', res)
  const cur = get()
  const rows: Record<number, RunListRow> = {}
  for (const r of res.value.rows) if (cur.selected.includes(r.id)) rows[r.id] = r
  // A selected run that no longer exists (deleted elsewhere) leaves the selection.
  patch({ selectedRows: rows, selected: cur.selected.filter((id) => rows[id] !== undefined) })
}

/** Changes part of the filter and goes back to the first page. */
export function setFilter(p: Partial<TableFilter>): Promise<void> {
  patch({ filter: { ...get().filter, ...p }, offset: 0 })
  return loadPage()
}

/** Sorts by a column (the header click cycle is computed by the caller with nextSort). */
export function setSort(sort: CompareState['sort']): Promise<void> {
  patch({ sort, offset: 0 })
  return loadPage()
}

/** Goes to an offset (a page) or changes the page size. */
export function setPaging(offset: number, limit = get().limit): Promise<void> {
  patch({ offset, limit })
  return loadPage()
}

/** Shows exactly these columns. */
export function setColumns(columns: ColumnId[]): Promise<void> {
  patch({ columns })
  return loadPage()
}

function setSelection(ids: number[]): void {
  const s = get()
  const rows: Record<number, RunListRow> = {}
  for (const id of ids) {
    const row = s.selectedRows[id] ?? s.page?.rows.find((r) => r.id === id)
    if (row) rows[id] = row
  }
  const keep = (id: number | null) => (id !== null && ids.includes(id) ? id : null)
  const runIdA = keep(s.arch.runIdA) ?? ids[0] ?? null
  const runIdB = keep(s.arch.runIdB) ?? ids.find((id) => id !== runIdA) ?? null
  const arch = runIdA === s.arch.runIdA && runIdB === s.arch.runIdB ? s.arch : { runIdA, runIdB, result: null, error: null }
  patch({ selected: ids, selectedRows: rows, arch, message: null })
  void loadMetricNames()
  void loadSelectionFacts()
}

/** Ticks or unticks one run. */
export function toggleRun(runId: number): void {
  const s = get()
  if (!s.selected.includes(runId) && s.selected.length >= MAX_COMPARE_RUNS) return fail(`At most ${MAX_COMPARE_RUNS} runs can be compared at once.`)
  setSelection(toggleSelection(s.selected, runId, MAX_COMPARE_RUNS))
}

/** The header checkbox: ticks or unticks every run on the page. */
export function selectPageRuns(on: boolean): void {
  const s = get()
  setSelection(selectPage(s.selected, s.page?.rows.map((r) => r.id) ?? [], on, MAX_COMPARE_RUNS))
}

/** Empties the selection. */
export function clearSelection(): void {
  setSelection([])
}

/** Opens one of the comparison views. */
export function setTab(tab: CompareTab): void {
  patch({ tab })
}

/** Changes a chart option (x axis, log scale, smoothing, shown metrics). */
export function setChartOption(p: Partial<CompareState['chart']>): void {
  patch({ chart: { ...get().chart, ...p } })
}

/** Sets the metric the parallel-coordinates plot ends on (its values come with the selected rows). */
export async function setPcMetric(metric: string): Promise<void> {
  patch({ pcMetric: metric })
  await loadSelectedRows()
}

/** Loads the names of the metrics the selected runs logged. */
export async function loadMetricNames(): Promise<void> {
  const ids = get().selected
  if (ids.length === 0) return patch({ metricNames: [] })
  const res = await getApi().runs.metricNames({ runIds: ids })
  if (!res.ok) return reportFailure('Loading metric names', res)
  if (selectionKey(get().selected) === selectionKey(ids)) patch({ metricNames: res.value })
}

/**
 * Loads one metric of the selected runs, downsampled to maxPoints (the chart's pixel width).
 * Skips the request when the same one was answered already, unless forced (live updates).
 */
export async function loadSeries(metric: string, maxPoints: number, force = false): Promise<void> {
  const s = get()
  if (s.selected.length === 0) return
  const x: SeriesX = s.chart.x
  const key = `${selectionKey(s.selected)}|${x}|${maxPoints}`
  if (!force && s.series[metric]?.key === key) return
  const seq = (seriesSeq[metric] = (seriesSeq[metric] ?? 0) + 1)
  const res = await getApi().runs.series({ runIds: s.selected, metric, x, maxPoints })
  if (seq !== seriesSeq[metric]) return
  if (!res.ok) return fail(res.message)
  // The chart measures its draw from this mark (see MetricChart), so the time covers everything after the data arrived.
  performance.mark(`compare-data:${metric}`)
  patch({ series: { ...get().series, [metric]: { key, maxPoints, result: res.value } } })
}

/** Loads the hyperparameter table of the selection (once per selection). */
export async function loadConfigs(): Promise<void> {
  const ids = get().selected
  const key = selectionKey(ids)
  if (ids.length === 0 || get().configs?.key === key) return
  const res = await getApi().runs.configs({ runIds: ids })
  if (!res.ok) return fail(res.message)
  if (selectionKey(get().selected) === key) patch({ configs: { key, ...res.value } })
}

/** Shows only the hyperparameters that differ, or all of them. */
export function setOnlyDifferences(on: boolean): void {
  patch({ onlyDifferences: on })
}

/** Diffs the model versions of two selected runs. */
export async function loadArchDiff(runIdA: number | null = get().arch.runIdA, runIdB: number | null = get().arch.runIdB): Promise<void> {
  patch({ arch: { runIdA, runIdB, result: null, error: null } })
  if (runIdA === null || runIdB === null) return
  const res = await getApi().runs.archDiff({ runIdA, runIdB })
  const cur = get().arch
  if (cur.runIdA !== runIdA || cur.runIdB !== runIdB) return
  patch({ arch: { runIdA, runIdB, result: res.ok ? res.value : null, error: res.ok ? null : res.message } })
}

/** Loads the evaluations of the selection (again when forced, e.g. after a run finished). */
export async function loadEvaluations(force = false): Promise<void> {
  const ids = get().selected
  const key = selectionKey(ids)
  if (ids.length === 0 || (!force && get().evaluations?.key === key)) return
  const res = await getApi().runs.evaluations({ runIds: ids })
  if (!res.ok) return fail(res.message)
  if (selectionKey(get().selected) === key) patch({ evaluations: { key, entries: res.value } })
}

/** Confusion matrices as counts or row-normalized shares. */
export function setNormalized(on: boolean): void {
  patch({ normalized: on })
}

function applyMeta(meta: RunMeta): void {
  const s = get()
  const upd = (r: RunListRow): RunListRow => (r.id === meta.runId ? { ...r, name: meta.name, note: meta.note, tags: meta.tags } : r)
  const selectedRows = { ...s.selectedRows }
  if (selectedRows[meta.runId]) selectedRows[meta.runId] = upd(selectedRows[meta.runId] as RunListRow)
  patch({ page: s.page && { ...s.page, rows: s.page.rows.map(upd) }, selectedRows })
}

/** Renames, re-notes or re-tags one run; true when the change was stored. */
export async function updateRun(runId: number, change: { name?: string; note?: string; tags?: string[] }): Promise<boolean> {
  const res = await getApi().runs.update({ runId, ...change })
  if (!res.ok) {
    fail(res.message)
    return false
  }
  applyMeta(res.value)
  if (change.tags) void loadFacets()
  return true
}

/** Adds a tag to, or removes it from, every selected run. */
export async function tagSelected(tag: string, remove = false): Promise<void> {
  const ids = get().selected
  if (ids.length === 0 || !tag.trim()) return
  const res = await getApi().runs.tag(remove ? { runIds: ids, remove: [tag] } : { runIds: ids, add: [tag] })
  if (!res.ok) return fail(res.message)
  await Promise.all([loadPage(), loadFacets(), loadSelectedRows()])
}

/** Asks to delete runs: opens the confirmation, or deletes at once where the settings turn confirmation off. */
export async function requestDelete(runIds: number[]): Promise<void> {
  if (runIds.length === 0) return
  if (useAppStore.getState().settings?.confirmDeletes === false) return deleteRuns(runIds)
  patch({ confirmDelete: runIds })
}

/** Closes the delete confirmation without deleting. */
export function cancelDelete(): void {
  patch({ confirmDelete: null })
}

/** Deletes runs with their metrics, checkpoints and evaluations, then refreshes the table. */
export async function deleteRuns(runIds: number[] = get().confirmDelete ?? []): Promise<void> {
  patch({ confirmDelete: null })
  if (runIds.length === 0) return
  const res = await getApi().runs.delete({ runIds })
  if (!res.ok) return fail(res.message)
  const d = res.value
  setSelection(get().selected.filter((id) => !runIds.includes(id)))
  patch({ message: { kind: 'info', text: `Deleted ${d.runs} run${d.runs === 1 ? '' : 's'} with ${d.checkpoints} checkpoint${d.checkpoints === 1 ? '' : 's'} and ${d.metrics} metric values.` } })
  await Promise.all([loadPage(), loadFacets()])
}

/**
 * Exports the full-resolution series of the selected runs: main streams them to a CSV file beside
 * the database, then the renderer fetches it in line-aligned pieces and offers it as a download
 * (a Blob works the same in the browser host and the Electron window). Returns the text (tests read it).
 */
export async function exportSelectedCsv(): Promise<string | null> {
  const ids = get().selected
  if (ids.length === 0) return null
  const res = await getApi().runs.exportCsv({ runIds: ids })
  if (!res.ok) {
    fail(res.message)
    return null
  }
  const parts: string[] = []
  for (let offset = 0; ; ) {
    const piece = await getApi().runs.exportRead({ fileName: res.value.fileName, offset })
    if (!piece.ok) {
      fail(piece.message)
      return null
    }
    parts.push(piece.value.text)
    offset = piece.value.nextOffset
    if (piece.value.done) break
  }
  const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = res.value.fileName
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  patch({ message: { kind: 'info', text: `Exported ${res.value.rows.toLocaleString()} rows (${(res.value.bytes / 1e6).toFixed(1)} MB); a copy is at ${res.value.path}.` } })
  return parts.join('')
}

/** "Train again with changes": opens the Runs section's new-run form filled from this run. */
export async function trainAgain(runId: number): Promise<void> {
  const res = await getApi().runs.get({ runId })
  if (!res.ok) return fail(res.message)
  const run = res.value
  const s = get()
  const row = s.selectedRows[runId] ?? s.page?.rows.find((r) => r.id === runId)
  if (run.modelVersionId === null || run.datasetVersionId === null || !row?.model) {
    return fail(`Run "${run.name}" no longer has its model or dataset version, so it cannot be trained again.`)
  }
  const prefill: NewRunPrefill = {
    fromRunId: runId,
    modelId: row.model.id,
    modelVersion: row.model.version,
    modelVersionId: run.modelVersionId,
    datasetVersionId: run.datasetVersionId,
    config: run.config,
  }
  patch({ newRunPrefill: prefill })
  await openSection('runs')
}

/** Hands the pending prefill to the new-run form once, and forgets it. */
export function takeNewRunPrefill(): NewRunPrefill | null {
  const p = get().newRunPrefill
  if (p) patch({ newRunPrefill: null })
  return p
}

/** Dismisses the section's message. */
export function dismissMessage(): void {
  patch({ message: null })
}

const LIVE_MS = 1000
let liveTimer: ReturnType<typeof setTimeout> | null = null
let tableTimer: ReturnType<typeof setTimeout> | null = null

// Training sends an epoch event every few hundred ms on small data; refetching on each would
// thrash, so updates are coalesced to one per second.
function scheduleLive(): void {
  if (liveTimer) return
  liveTimer = setTimeout(() => {
    liveTimer = null
    patch({ liveTick: get().liveTick + 1 })
    void loadSelectedRows()
    void loadMetricNames()
  }, LIVE_MS)
}

function scheduleTable(): void {
  if (tableTimer) return
  tableTimer = setTimeout(() => {
    tableTimer = null
    void loadPage()
    void loadFacets()
  }, LIVE_MS)
}

/** Follows training: a selected run's new epochs refresh the charts; state changes refresh the table. */
export function subscribeCompareEvents(): () => void {
  const api = getApi()
  const offs = [
    api.on('run.epoch', (m) => {
      if (get().selected.includes(m.runId)) scheduleLive()
    }),
    api.on('run.state', (e) => {
      scheduleTable()
      if (!get().selected.includes(e.runId)) return
      scheduleLive()
      if (e.state === 'completed' || e.state === 'stopped' || e.state === 'failed') void loadEvaluations(true)
    }),
  ]
  return () => {
    offs.forEach((off) => off())
    if (liveTimer) clearTimeout(liveTimer)
    if (tableTimer) clearTimeout(tableTimer)
    liveTimer = tableTimer = null
  }
}
