import { useAppStore } from '../store'
import { cancelDelete, deleteRuns } from '../store/compareActions'

/** Asks before deleting runs, naming them, and says their checkpoints and metrics go too. */
export function ConfirmDelete() {
  const ids = useAppStore((s) => s.compare.confirmDelete)
  const rows = useAppStore((s) => s.compare.selectedRows)
  const page = useAppStore((s) => s.compare.page)
  if (!ids) return null
  const name = (id: number) => rows[id]?.name ?? page?.rows.find((r) => r.id === id)?.name ?? `run ${id}`
  const shown = ids.slice(0, 8).map(name)
  return (
    <div className="modal-backdrop" onClick={() => cancelDelete()}>
      <div className="modal" role="dialog" aria-modal="true" aria-label="Delete runs" onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.key === 'Escape' && cancelDelete()}>
        <header>
          <h2>
            Delete {ids.length} run{ids.length === 1 ? '' : 's'}?
          </h2>
        </header>
        <p>
          {shown.join(', ')}
          {ids.length > shown.length ? ` and ${ids.length - shown.length} more` : ''}
        </p>
        <p className="muted">Their metrics, checkpoints and evaluations are deleted too. This cannot be undone.</p>
        <div className="modal-actions">
          <button type="button" className="small" autoFocus onClick={() => cancelDelete()}>
            Cancel
          </button>
          <button type="button" className="small danger-solid" data-testid="confirm-delete" onClick={() => void deleteRuns()}>
            Delete
          </button>
        </div>
      </div>
    </div>
  )
}
