import { useState } from 'react'
import { useAppStore } from '../store'
import { clearSelection, exportSelectedCsv, requestDelete, tagSelected } from '../store/compareActions'
import { ColumnChooser } from './ColumnChooser'

/** What can be done to the ticked runs: tag, untag, export, delete; and the column chooser. */
export function SelectionBar() {
  const selected = useAppStore((s) => s.compare.selected)
  const [tag, setTag] = useState('')
  const n = selected.length
  return (
    <div className="selection-bar" data-testid="selection-bar">
      <strong data-testid="selected-count">{n === 0 ? 'No runs selected' : `${n} run${n === 1 ? '' : 's'} selected`}</strong>
      {n > 0 && (
        <>
          <input aria-label="Tag for selected runs" placeholder="tag" value={tag} maxLength={64} onChange={(e) => setTag(e.target.value)} />
          <button type="button" className="small" disabled={!tag.trim()} onClick={() => void tagSelected(tag.trim()).then(() => setTag(''))}>
            Add tag
          </button>
          <button type="button" className="small" disabled={!tag.trim()} onClick={() => void tagSelected(tag.trim(), true).then(() => setTag(''))}>
            Remove tag
          </button>
          <button type="button" className="small" onClick={() => void exportSelectedCsv()}>
            Export CSV
          </button>
          <button type="button" className="small danger" onClick={() => void requestDelete(selected)}>
            Delete…
          </button>
          <button type="button" className="small" onClick={() => clearSelection()}>
            Clear selection
          </button>
        </>
      )}
      <span className="spacer" />
      <ColumnChooser />
    </div>
  )
}
