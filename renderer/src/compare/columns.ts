// The runs table's columns: which exist, how each sorts server-side, and what a page request
// needs to fill the visible ones (config keys and metric summaries).
import type { RunSort } from '../../../common/contract'

/** A column id: a fixed column, `config:<dot.path>`, or `metric:<name>:best|last`. */
export type ColumnId = string

/** How a column header reads and sorts. */
export interface ColumnDef {
  id: ColumnId
  label: string
  /** The server-side sort for this column (direction added on click); null = not sortable. */
  sort: RunSort | null
  /** Fixed columns cannot be hidden (selection and name). */
  fixed?: boolean
}

const FIXED: ColumnDef[] = [
  { id: 'name', label: 'Run', sort: { by: 'name' }, fixed: true },
  { id: 'state', label: 'Status', sort: { by: 'state' } },
  { id: 'model', label: 'Model', sort: { by: 'model' } },
  { id: 'dataset', label: 'Dataset', sort: { by: 'dataset' } },
  { id: 'backend', label: 'Backend', sort: { by: 'backend' } },
]
const TRAILING: ColumnDef[] = [
  { id: 'duration', label: 'Duration', sort: { by: 'duration' } },
  { id: 'startedAt', label: 'Started', sort: { by: 'startedAt' } },
  { id: 'createdAt', label: 'Created', sort: { by: 'createdAt' } },
  { id: 'tags', label: 'Tags', sort: null },
  { id: 'note', label: 'Note', sort: null },
]

/** Hyperparameters the column chooser offers (dot paths into a run's config). */
export const CONFIG_COLUMNS = ['optimizer', 'learningRate', 'batchSize', 'epochs', 'loss', 'momentum', 'seed', 'schedule.kind', 'earlyStopping.monitor', 'keepCheckpoints'] as const

/** Metrics offered even before any run logged them. */
export const BASE_METRICS = ['loss', 'accuracy', 'val_loss', 'val_accuracy'] as const

/** Columns shown until the person picks others. */
export const DEFAULT_COLUMNS: ColumnId[] = [
  'name',
  'state',
  'model',
  'dataset',
  'backend',
  'config:optimizer',
  'config:learningRate',
  'config:batchSize',
  'config:epochs',
  'metric:val_accuracy:best',
  'metric:val_loss:best',
  'metric:loss:last',
  'duration',
  'startedAt',
  'tags',
  'note',
]

/** The definition of one column id (unknown ids get a plain, unsortable definition). */
export function columnDef(id: ColumnId): ColumnDef {
  const fixed = [...FIXED, ...TRAILING].find((c) => c.id === id)
  if (fixed) return fixed
  if (id.startsWith('config:')) {
    const key = id.slice('config:'.length)
    return { id, label: key, sort: { by: 'config', key } }
  }
  const m = /^metric:(.+):(best|last)$/.exec(id)
  if (m) {
    const [, metric, stat] = m as unknown as [string, string, 'best' | 'last']
    return { id, label: `${stat === 'best' ? 'best' : 'final'} ${metric}`, sort: { by: 'metric', metric, stat } }
  }
  return { id, label: id, sort: null }
}

/** Every column the chooser offers, in table order, given the metric names runs have logged. */
export function availableColumns(metricNames: readonly string[]): ColumnDef[] {
  const metrics = [...new Set([...BASE_METRICS, ...metricNames])]
  return [
    ...FIXED,
    ...CONFIG_COLUMNS.map((k) => columnDef(`config:${k}`)),
    ...metrics.flatMap((m) => [columnDef(`metric:${m}:best`), columnDef(`metric:${m}:last`)]),
    ...TRAILING,
  ]
}

/** Visible columns in table order (the chooser's order, not the order they were ticked). */
export function orderColumns(visible: readonly ColumnId[], metricNames: readonly string[]): ColumnDef[] {
  const set = new Set(visible)
  const all = availableColumns([...metricNames, ...visible.filter((v) => v.startsWith('metric:')).map((v) => v.split(':')[1] as string)])
  return all.filter((c) => c.fixed || set.has(c.id))
}

/** Shows or hides one column; fixed columns stay. */
export function toggleColumn(visible: readonly ColumnId[], id: ColumnId): ColumnId[] {
  if (columnDef(id).fixed) return [...visible]
  return visible.includes(id) ? visible.filter((c) => c !== id) : [...visible, id]
}

/** Config keys a page request must return for the visible columns. */
export function configKeysFor(visible: readonly ColumnId[]): string[] {
  return visible.filter((c) => c.startsWith('config:')).map((c) => c.slice('config:'.length))
}

/** Metric names a page request must summarize for the visible columns (plus extras, e.g. a chart's). */
export function metricsFor(visible: readonly ColumnId[], extra: readonly string[] = []): string[] {
  const names = visible.filter((c) => c.startsWith('metric:')).map((c) => c.split(':')[1] as string)
  return [...new Set([...names, ...extra])]
}

/** The column a sort belongs to, so its header can show the arrow. */
export function sortColumnId(sort: RunSort | undefined): ColumnId | null {
  if (!sort) return null
  if (sort.by === 'config') return `config:${sort.key}`
  if (sort.by === 'metric') return `metric:${sort.metric}:${sort.stat === 'last' ? 'last' : 'best'}`
  return sort.by
}

/** Next sort after a header click: ascending, then descending, then back to newest first (no sort). */
export function nextSort(current: RunSort | undefined, id: ColumnId): RunSort | undefined {
  const def = columnDef(id)
  if (!def.sort) return current
  if (sortColumnId(current) !== id) return { ...def.sort, dir: 'asc' } as RunSort
  if ((current?.dir ?? 'asc') === 'asc') return { ...def.sort, dir: 'desc' } as RunSort
  return undefined
}
