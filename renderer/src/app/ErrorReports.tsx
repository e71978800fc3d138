import { useAppStore } from '../store'
import { dismissError } from '../store/reportError'

/** The error reporter: failed bridge calls that no page shows in place, each until dismissed. */
export function ErrorReports() {
  const errors = useAppStore((s) => s.errors)
  if (errors.length === 0) return null
  return (
    <section className="error-reports" aria-label="Errors">
      {errors.map((e) => (
        <div key={e.id} role="alert" className="banner error" data-code={e.code}>
          <strong>{e.action} failed:</strong> {e.message}
          <div className="error-foot">
            <span className="error-meta">
              ({e.code}
              {e.field ? `, field "${e.field}"` : ''})
            </span>
            <button type="button" className="link" aria-label={`Dismiss: ${e.action} failed`} onClick={() => dismissError(e.id)}>
              Dismiss
            </button>
          </div>
        </div>
      ))}
    </section>
  )
}
