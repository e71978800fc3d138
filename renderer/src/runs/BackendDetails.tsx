import { useEffect, useState } from 'react'
import type { RunSummary } from '../../../common/contract'
import { getApi } from '../api/api'
import { reportFailure } from '../store/reportError'
import { stepperSummary } from '../../../common/training/stepperInfo'

/** A load error as one readable line (its first non-empty line, cut at a sentence's length) and the rest. */
export function errorHeadline(error: string): { line: string; folded: boolean } {
  const lines = error.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
  const first = lines[0] ?? error
  const line = first.length > 160 ? `${first.slice(0, 157)}…` : first
  return { line, folded: lines.length > 1 || first.length > 160 }
}

/**
 * Which backend a run trained on, on what device, and why: the faster backends the worker tried
 * first are listed with their load errors: one readable line, and the whole error verbatim folded
 * beneath it (CUDA and cuDNN messages are multi-line and every line matters), so a GPU setup
 * problem can be diagnosed without a terminal.
 */
export function BackendDetails(props: { run: RunSummary }) {
  const { run } = props
  if (!run.backend) return <p className="muted">This run has not picked a backend yet.</p>
  return (
    <div className="backend-details" data-testid="backend-details">
      <p>
        Trained on <strong>{run.backend}</strong>
        {run.backendDevice && (
          <>
            {' '}
            · <span data-testid="backend-device">{run.backendDevice}</span>
          </>
        )}
      </p>
      {run.backendReason && <p className="muted">{run.backendReason}</p>}
      {run.stepper && (
        <p data-testid="backend-stepper">
          Steps ran on <strong>{stepperSummary(run.stepper)}</strong>
          {run.stepper.reason && <span className="muted">: {run.stepper.reason}</span>}
        </p>
      )}
      {run.backendTried.length > 0 ? (
        <>
          <p>Faster backends tried first:</p>
          <ul className="backend-tried">
            {run.backendTried.map((t) => {
              const head = errorHeadline(t.error)
              return (
                <li key={t.name} data-backend={t.name}>
                  <strong>{t.name}</strong> could not be used: <span className="error-line">{head.line}</span>
                  {head.folded && (
                    <details>
                      <summary>Full error</summary>
                      <pre>{t.error}</pre>
                    </details>
                  )}
                </li>
              )
            })}
          </ul>
        </>
      ) : (
        <p className="muted">It got the backend it asked for ({run.config.backend}).</p>
      )}
    </div>
  )
}

/** For the System panel: the backend the most recent run that trained actually used, and why. */
export function LastRunBackend() {
  const [run, setRun] = useState<RunSummary | null | undefined>(undefined)
  useEffect(() => {
    void getApi()
      .runs.recent({ limit: 20 })
      .then((r) => {
        if (!r.ok) reportFailure('Loading recent runs', r)
        setRun(r.ok ? (r.value.find((x) => x.backend) ?? null) : null)
      })
  }, [])
  if (run === undefined) return null
  return (
    <section data-testid="last-run-backend">
      <h3>Last training run</h3>
      {run ? (
        <>
          <p className="muted">{run.name}</p>
          <BackendDetails run={run} />
        </>
      ) : (
        <p className="muted">No run has trained yet.</p>
      )}
    </section>
  )
}
