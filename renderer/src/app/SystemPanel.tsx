import { useEffect } from 'react'
import { useAppStore } from '../store'
import { changeSettings, toggleSystemPanel } from '../store/actions'
import { LastRunBackend } from '../runs/BackendDetails'

/** The system panel: which backend training will use and why each faster one is not available. Escape closes it. */
export function SystemPanel() {
  const open = useAppStore((s) => s.systemPanelOpen)
  const status = useAppStore((s) => s.status)
  const settings = useAppStore((s) => s.settings)
  useEffect(() => {
    if (!open) return
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && toggleSystemPanel(false)
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [open])
  if (!open || !status) return null
  return (
    <aside className="panel system-panel" role="dialog" aria-label="System">
      <header>
        <h2>System</h2>
        <button type="button" onClick={() => toggleSystemPanel(false)} aria-label="Close">
          ×
        </button>
      </header>
      <h3>Training backend</h3>
      <p>
        Training will use <strong>{status.backend.chosen}</strong>. The ladder, fastest first:
      </p>
      <ol className="ladder">
        {status.backend.candidates.map((c) => (
          <li key={c.name} className={c.available ? 'ok' : 'no'} data-backend={c.name}>
            <strong>{c.name}</strong> <code>{c.packageName}</code> — {c.available ? 'available' : 'not available'}: {c.reason}
          </li>
        ))}
      </ol>
      <LastRunBackend />
      <h3>Training queue</h3>
      <label className="param">
        <span>Runs at a time</span>
        <input
          type="number"
          min={1}
          max={8}
          aria-label="Runs at a time"
          value={settings?.runConcurrency ?? 1}
          onChange={(e) => {
            const n = Number(e.target.value)
            if (Number.isInteger(n) && n >= 1 && n <= 8) void changeSettings({ runConcurrency: n })
          }}
        />
      </label>
      <p className="muted small-text">Queued runs start when one finishes; each run trains in its own worker thread.</p>
      <label className="param">
        <span>Study trials at once</span>
        <select
          aria-label="Study trials at once"
          value={String(settings?.studyTrialsAtOnce ?? 'auto')}
          onChange={(e) => void changeSettings({ studyTrialsAtOnce: e.target.value === 'auto' ? 'auto' : Number(e.target.value) })}
        >
          <option value="auto">Auto (one per core)</option>
          {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <p className="muted small-text">
        A study's trials are independent runs: side by side, each on its share of the cores, a study finishes sooner than one trial at a time with every core.
      </p>
      <h3>Storage</h3>
      <dl>
        <dt>Database</dt>
        <dd>{status.dbPath}</dd>
        <dt>Schema version</dt>
        <dd>{status.schemaVersion}</dd>
        <dt>App</dt>
        <dd>
          {status.appVersion} · {status.platform} · Node {status.nodeVersion}
        </dd>
      </dl>
    </aside>
  )
}
