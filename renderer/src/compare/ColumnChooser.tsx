import { useAppStore } from '../store'
import { setColumns } from '../store/compareActions'
import { availableColumns, DEFAULT_COLUMNS, toggleColumn } from './columns'

/** A drop-down of every column the table can show, each with a checkbox. */
export function ColumnChooser() {
  const columns = useAppStore((s) => s.compare.columns)
  const metrics = useAppStore((s) => s.compare.facets?.metrics)
  const all = availableColumns(metrics ?? [])
  return (
    <details className="column-chooser">
      <summary>Columns</summary>
      <div className="column-chooser-list" role="group" aria-label="Columns">
        {all
          .filter((c) => !c.fixed)
          .map((c) => (
            <label key={c.id}>
              <input type="checkbox" checked={columns.includes(c.id)} onChange={() => void setColumns(toggleColumn(columns, c.id))} /> {c.label}
            </label>
          ))}
        <button type="button" className="small" onClick={() => void setColumns(DEFAULT_COLUMNS)}>
          Reset
        </button>
      </div>
    </details>
  )
}
