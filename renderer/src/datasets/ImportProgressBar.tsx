import { useAppStore } from '../store'
import { cancelImport } from '../store/datasetsActions'

/** The running import: phase, rows or files done, rate, time left, and Cancel. */
export function ImportProgressBar() {
  const job = useAppStore((s) => s.datasets.job)
  if (!job) return null
  const p = job.progress
  return (
    <div className="import-progress" role="progressbar" aria-valuenow={Math.round((p?.fraction ?? 0) * 100)} data-testid="import-progress">
      <div className="bar">
        <span style={{ width: `${Math.round((p?.fraction ?? 0) * 100)}%` }} />
      </div>
      <span>
        {p ? `${p.phase}: ${p.itemsDone.toLocaleString('en-US')}${p.itemsTotal ? ` / ${p.itemsTotal.toLocaleString('en-US')}` : ''} · ${Math.round(p.itemsPerSecond).toLocaleString('en-US')}/s · ${(p.bytesPerSecond / 1e6).toFixed(1)} MB/s${p.etaSeconds !== null ? ` · ${Math.ceil(p.etaSeconds)} s left` : ''}` : 'starting…'}
      </span>
      <button type="button" onClick={() => void cancelImport()}>
        Cancel
      </button>
    </div>
  )
}
