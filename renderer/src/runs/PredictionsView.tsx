import type { PredictionFilter, PredictionPage, PredictionRow } from '../../../preload/contract'
import { PREDICTIONS_PAGE, showPredictions } from '../store/runsActions'
import { PixelThumb } from './PixelThumb'

const fmt = (v: string | number) => (typeof v === 'number' ? v.toPrecision(4) : v)

function InputCell(props: { row: PredictionRow }) {
  const input = props.row.input
  if (input.kind === 'image') return <PixelThumb {...input} label={`row ${props.row.rowIndex}`} />
  return (
    <span className="tabular-input">
      {input.values.map((v) => (
        <span key={v.column}>
          <span className="muted">{v.column}</span>={v.value === null ? '∅' : String(v.value)}
        </span>
      ))}
    </span>
  )
}

/** A page of test-split predictions: input (thumbnail or values), truth, prediction, confidence; all or only mistakes. */
export function PredictionsView(props: { page: PredictionPage | null; filter: PredictionFilter; busy: boolean; regression: boolean }) {
  const { page, filter } = props
  const first = page ? page.offset + 1 : 0
  const last = page ? page.offset + page.rows.length : 0
  return (
    <div className="predictions" data-testid="predictions">
      <div className="predictions-bar">
        <div role="radiogroup" aria-label="Which predictions">
          <label>
            <input type="radio" name="pred-filter" checked={filter === 'all'} onChange={() => void showPredictions(0, 'all')} /> All
          </label>
          <label>
            <input type="radio" name="pred-filter" checked={filter === 'mistakes'} onChange={() => void showPredictions(0, 'mistakes')} />{' '}
            {props.regression ? 'Worst errors first' : 'Mistakes only'}
          </label>
        </div>
        <span className="spacer" />
        {page && (
          <span data-testid="predictions-range">
            {page.total === 0 ? 'none' : `${first}–${last} of ${page.total}`} ({page.split} split)
          </span>
        )}
        <button type="button" className="small" disabled={!page || page.offset === 0 || props.busy} onClick={() => page && void showPredictions(page.offset - PREDICTIONS_PAGE)}>
          ← Previous
        </button>
        <button type="button" className="small" disabled={!page || last >= page.total || props.busy} onClick={() => page && void showPredictions(page.offset + PREDICTIONS_PAGE)}>
          Next →
        </button>
      </div>
      {page && page.rows.length === 0 && <p className="muted">{filter === 'mistakes' ? 'No mistakes on this split.' : 'This split has no samples.'}</p>}
      {page && page.rows.length > 0 && (
        <table className="predictions-table">
          <thead>
            <tr>
              <th>row</th>
              <th>input</th>
              <th>truth</th>
              <th>prediction</th>
              <th>{props.regression ? 'error' : 'confidence'}</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((r) => (
              <tr key={r.rowIndex} className={r.correct === false ? 'wrong' : r.correct ? 'right' : ''} data-testid="prediction-row">
                <td>{r.rowIndex}</td>
                <td>
                  <InputCell row={r} />
                </td>
                <td>{fmt(r.truth)}</td>
                <td>{fmt(r.predicted)}</td>
                <td>{r.confidence !== null ? `${(r.confidence * 100).toFixed(1)}%` : r.error !== null ? r.error.toPrecision(3) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
