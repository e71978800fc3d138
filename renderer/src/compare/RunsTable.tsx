import type { ReactNode } from 'react'
import type { RunListRow } from '../../../common/contract'
import { useAppStore } from '../store'
import { requestDelete, selectPageRuns, setSort, toggleRun, trainAgain, updateRun } from '../store/compareActions'
import { runColor } from './colors'
import { nextSort, orderColumns, sortColumnId, type ColumnDef } from './columns'
import { EditableText } from './EditableText'
import { formatDuration, formatMetric, formatTime, formatValue } from './format'
import { pageSelectionState } from './tableQuery'

const splitTags = (text: string): string[] => text.split(',').map((t) => t.trim()).filter(Boolean)

function cell(row: RunListRow, col: ColumnDef): ReactNode {
  switch (col.id) {
    case 'name':
      return (
        <span className="run-name">
          <span className="swatch" style={{ background: runColor(row.id) }} />
          <EditableText value={row.name} label={`name of ${row.name}`} maxLength={200} onSave={(name) => updateRun(row.id, { name })} />
        </span>
      )
    case 'state':
      return (
        <span className={`state state-${row.state}`} title={row.error ?? undefined}>
          {row.state}
        </span>
      )
    case 'model':
      return row.model ? `${row.model.name} v${row.model.version}` : '–'
    case 'dataset':
      return row.dataset ? `${row.dataset.name} v${row.dataset.version}` : '–'
    case 'backend':
      return row.backend ?? '–'
    case 'duration':
      return formatDuration(row.durationMs)
    case 'startedAt':
      return formatTime(row.startedAt)
    case 'createdAt':
      return formatTime(row.createdAt)
    case 'tags':
      return (
        <EditableText
          value={row.tags.join(', ')}
          label={`tags of ${row.name}`}
          placeholder="add tags"
          display={row.tags.length ? row.tags.map((t) => <span key={t} className="tag">{t}</span>) : undefined}
          onSave={(v) => updateRun(row.id, { tags: splitTags(v) })}
        />
      )
    case 'note':
      return <EditableText value={row.note} label={`note of ${row.name}`} placeholder="add a note" maxLength={10_000} onSave={(note) => updateRun(row.id, { note })} />
  }
  if (col.id.startsWith('config:')) return formatValue(row.config[col.id.slice('config:'.length)])
  const m = /^metric:(.+):(best|last)$/.exec(col.id)
  if (m) {
    const s = row.metrics[m[1] as string]
    if (!s) return '–'
    const v = m[2] === 'best' ? s.best : s.last
    return <span title={m[2] === 'best' ? `at step ${s.bestStep ?? '–'}` : `at step ${s.lastStep}`}>{formatMetric(v)}</span>
  }
  return null
}

/** The runs page as a table: sortable headers, a checkbox per run, inline rename, tags and note, row actions. */
export function RunsTable() {
  const page = useAppStore((s) => s.compare.page)
  const columns = useAppStore((s) => s.compare.columns)
  const sort = useAppStore((s) => s.compare.sort)
  const selected = useAppStore((s) => s.compare.selected)
  const metricFacets = useAppStore((s) => s.compare.facets?.metrics)
  const cols = orderColumns(columns, metricFacets ?? [])
  const rows = page?.rows ?? []
  const sortId = sortColumnId(sort)
  const all = pageSelectionState(selected, rows.map((r) => r.id))
  const stale = useAppStore((s) => s.compare.filterError !== null)
  // The check and name columns stay at the left edge and the actions at the right while wide tables scroll.
  const colClass = (c: ColumnDef): string | undefined => (c.id === 'name' ? 'sticky-name' : c.id.startsWith('metric:') || c.id.startsWith('config:') ? 'num' : undefined)
  return (
    <div className={`table-scroll runs-table-wrap${stale ? ' stale' : ''}`} aria-busy={stale || undefined} data-testid="runs-table-wrap" data-stale={stale || undefined}>
      <table className="runs-table" data-testid="runs-table">
        <thead>
          <tr>
            <th className="check">
              <input
                type="checkbox"
                aria-label="Select all runs on this page"
                checked={all === 'all'}
                ref={(el) => {
                  if (el) el.indeterminate = all === 'some'
                }}
                onChange={(e) => selectPageRuns(e.target.checked)}
              />
            </th>
            {cols.map((c) => (
              <th key={c.id} className={c.id === 'name' ? 'sticky-name' : undefined} aria-sort={sortId === c.id ? (sort?.dir === 'desc' ? 'descending' : 'ascending') : undefined}>
                {c.sort ? (
                  <button type="button" className="sort-header" onClick={() => void setSort(nextSort(sort, c.id))}>
                    {c.label}
                    {sortId === c.id ? (sort?.dir === 'desc' ? ' ▼' : ' ▲') : ''}
                  </button>
                ) : (
                  c.label
                )}
              </th>
            ))}
            <th className="sticky-actions">actions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-run-id={r.id} className={selected.includes(r.id) ? 'selected' : undefined}>
              <td className="check">
                <input type="checkbox" aria-label={`Select ${r.name}`} checked={selected.includes(r.id)} onChange={() => toggleRun(r.id)} />
              </td>
              {cols.map((c) => (
                <td key={c.id} className={colClass(c)}>
                  {cell(r, c)}
                </td>
              ))}
              <td className="row-actions sticky-actions">
                <button type="button" className="small" title="Open the new-run form with this run's model version, dataset version and hyperparameters" onClick={() => void trainAgain(r.id)}>
                  Train again…
                </button>
                <button type="button" className="small danger" aria-label={`Delete ${r.name}`} onClick={() => void requestDelete([r.id])}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={cols.length + 2} className="muted">
                No runs match the filters.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  )
}
