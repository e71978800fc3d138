import { useAppStore } from '../store'
import { changeSettings, openSection, toggleSystemPanel } from '../store/actions'
import { selectRun } from '../store/runsActions'

const LIVE = ['running', 'paused', 'queued'] as const

/** The run in progress (running first, then paused, then queued), visible from every section; a click opens it. */
function ActiveRunChip() {
  const run = useAppStore((s) => {
    const live = s.runs.list.filter((r) => (LIVE as readonly string[]).includes(r.state))
    return live.sort((a, b) => LIVE.indexOf(a.state as (typeof LIVE)[number]) - LIVE.indexOf(b.state as (typeof LIVE)[number]))[0]
  })
  const progress = useAppStore((s) => (run ? s.runs.progress[run.id] : undefined))
  const others = useAppStore((s) => s.runs.list.filter((r) => (LIVE as readonly string[]).includes(r.state)).length - 1)
  if (!run) return null
  // progress.epoch counts from 0 (the epoch in progress); people count epochs from 1.
  const done = progress ? (progress.epoch * progress.stepsPerEpoch + progress.stepInEpoch) / Math.max(1, progress.epochs * progress.stepsPerEpoch) : 0
  const pct = Math.round(Math.min(1, Math.max(0, done)) * 100)
  const verb = run.state === 'running' ? 'Training' : run.state === 'paused' ? 'Paused' : 'Queued'
  return (
    <button
      type="button"
      className={`chip active-run state-${run.state}`}
      data-testid="active-run"
      title={`${run.name}: open it in Runs`}
      onClick={() => {
        void openSection('runs')
        void selectRun(run.id)
      }}
    >
      {verb}: <strong>{run.name}</strong>
      {progress && run.state !== 'queued' && (
        <>
          {' '}
          · epoch {progress.epoch + 1}/{progress.epochs} <span className="mini-progress" aria-label={`${pct}% done`}><span style={{ width: `${pct}%` }} /></span>
        </>
      )}
      {others > 0 && ` (+${others} more)`}
    </button>
  )
}

const NEXT_THEME = { system: 'light', light: 'dark', dark: 'system' } as const

/** The bottom bar: the training backend that would be used, the database, the run in progress, the transport, the theme. */
export function StatusBar() {
  const status = useAppStore((s) => s.status)
  const theme = useAppStore((s) => s.settings?.theme ?? 'system')
  return (
    <footer className="statusbar" role="status">
      <button type="button" className="chip" data-testid="backend-chip" onClick={() => toggleSystemPanel()} title={status?.backend.summary}>
        Backend: <strong>{status ? status.backend.chosen : '…'}</strong>
      </button>
      <span className="chip path" data-testid="db-path" title={status?.dbPath}>
        Database: {status ? status.dbPath : '…'}
      </span>
      <ActiveRunChip />
      <span className="chip">{status ? (status.transport === 'electron' ? 'Desktop app' : 'Browser host') : ''}</span>
      <span className="spacer" />
      <button type="button" className="chip" data-testid="theme-toggle" onClick={() => void changeSettings({ theme: NEXT_THEME[theme] })}>
        Theme: {theme}
      </button>
    </footer>
  )
}
