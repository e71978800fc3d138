import { useAppStore } from '../store'
import { changeSettings, toggleSystemPanel } from '../store/actions'

const NEXT_THEME = { system: 'light', light: 'dark', dark: 'system' } as const

/** The bottom bar: the training backend that would be used, the database, the transport, the theme. */
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
      <span className="chip">{status ? (status.transport === 'electron' ? 'Desktop app' : 'Browser host') : ''}</span>
      <span className="spacer" />
      <button type="button" className="chip" data-testid="theme-toggle" onClick={() => void changeSettings({ theme: NEXT_THEME[theme] })}>
        Theme: {theme}
      </button>
    </footer>
  )
}
