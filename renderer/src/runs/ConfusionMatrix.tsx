import type { Evaluation } from '../../../common/contract'

/**
 * A confusion matrix (rows: truth, columns: predicted) with per-class precision, recall and F1.
 * With `onCell`, each count is a button that narrows the predictions to that true and predicted class.
 */
export function ConfusionMatrix(props: {
  evaluation: Extract<Evaluation, { kind: 'classification' }>
  testId?: string
  onCell?: (truth: string, predicted: string) => void
  active?: { truth: string | null; predicted: string | null }
}) {
  const { classes, confusion, perClass } = props.evaluation
  const max = Math.max(1, ...confusion.flat())
  return (
    <div className="evaluation" data-testid={props.testId ?? 'confusion-matrix'}>
      <table className="confusion">
        <thead>
          <tr>
            <th title="rows: true class, columns: predicted class">truth ↓ · predicted →</th>
            {classes.map((c) => (
              <th key={c}>{c}</th>
            ))}
            <th>precision</th>
            <th>recall</th>
            <th>F1</th>
          </tr>
        </thead>
        <tbody>
          {confusion.map((row, i) => (
            <tr key={i}>
              <th>{classes[i]}</th>
              {row.map((n, j) => (
                <td
                  key={j}
                  className={props.active?.truth === classes[i] && props.active?.predicted === classes[j] ? 'active-cell' : undefined}
                  style={{ background: `color-mix(in srgb, ${i === j ? 'var(--ok)' : 'var(--bad)'} ${Math.round((n / max) * 70)}%, transparent)` }}
                >
                  {props.onCell ? (
                    <button type="button" className="cell-button" aria-label={`${n} with truth ${classes[i]} predicted ${classes[j]}`} onClick={() => props.onCell?.(classes[i], classes[j])}>
                      {n}
                    </button>
                  ) : (
                    n
                  )}
                </td>
              ))}
              <td>{perClass[i].precision.toFixed(3)}</td>
              <td>{perClass[i].recall.toFixed(3)}</td>
              <td>{perClass[i].f1.toFixed(3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** One line summarizing an evaluation: accuracy, or MAE/RMSE/R² for regression. */
export function EvaluationLine(props: { evaluation: Evaluation; testId?: string }) {
  const ev = props.evaluation
  return (
    <p data-testid={props.testId}>
      {ev.kind === 'classification'
        ? `Accuracy ${(ev.accuracy * 100).toFixed(1)}% · loss ${ev.loss.toPrecision(4)} (${ev.split} split)`
        : `MAE ${ev.mae.toPrecision(4)} · RMSE ${ev.rmse.toPrecision(4)} · R² ${ev.r2.toFixed(3)} (${ev.split} split)`}
    </p>
  )
}
