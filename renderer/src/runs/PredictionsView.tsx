import { useEffect } from 'react'
import type { PredictionFilter, PredictionPage, PredictionRow } from '../../../common/contract'
import { HeatmapOverlay } from '../explain/HeatmapOverlay'
import { useAppStore } from '../store'
import { loadTileHeatmaps, openSample, showGridHeatmaps, tileKey } from '../store/explainActions'
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

/** Opens the row in the explainer (Grad-CAM, saliency, top-k probabilities). */
function ExplainButton(props: { page: PredictionPage; row: PredictionRow }) {
  const { page, row } = props
  return (
    <button type="button" className="small explain-link" aria-label={`Explain row ${row.rowIndex}`} onClick={() => void openSample(page.runId, page.checkpointId, page.split, row)}>
      Explain
    </button>
  )
}

function rowClass(r: PredictionRow): string {
  return r.correct === false ? 'wrong' : r.correct ? 'right' : ''
}

/** Images as a grid of tiles: thumbnail, truth and prediction (a wrong one marked), confidence. */
function ImageGrid(props: { page: PredictionPage }) {
  const on = useAppStore((s) => s.explain.gridHeatmaps)
  const tiles = useAppStore((s) => s.explain.tiles)
  const opacity = useAppStore((s) => s.explain.opacity)
  // A new page with heatmaps on fetches its own.
  useEffect(() => {
    if (on) void loadTileHeatmaps(props.page)
  }, [on, props.page])
  return (
    <ul className="prediction-grid" data-testid="prediction-grid">
      {props.page.rows.map((r) => (
        <li key={r.rowIndex} className={`prediction-tile ${rowClass(r)}`} data-testid="prediction-row" title={`row ${r.rowIndex}`}>
          {(() => {
            const heat = on ? tiles[tileKey(props.page.checkpointId, r.rowIndex)] : undefined
            return heat && heat !== 'none' && r.input.kind === 'image' ? <HeatmapOverlay image={r.input} heatmap={heat} opacity={opacity} size={64} /> : <InputCell row={r} />
          })()}
          <span className="tile-label">
            <span className="muted">true</span> {fmt(r.truth)}
          </span>
          <span className="tile-label">
            <span className="muted">pred</span> <strong>{fmt(r.predicted)}</strong>
            {r.confidence !== null && <span className="muted"> {(r.confidence * 100).toFixed(0)}%</span>}
          </span>
          <ExplainButton page={props.page} row={r} />
        </li>
      ))}
    </ul>
  )
}

/**
 * A page of test-split predictions: images as a grid, table rows as a table (input values, truth,
 * prediction, confidence or error); all or only mistakes, narrowed to a true and/or predicted class;
 * each sample opens in the explainer.
 */
export function PredictionsView(props: {
  page: PredictionPage | null
  filter: PredictionFilter
  busy: boolean
  regression: boolean
  classes: string[] | null
  truth: string | null
  predicted: string | null
}) {
  const { page, filter, classes, truth, predicted } = props
  const first = page ? page.offset + 1 : 0
  const last = page ? page.offset + page.rows.length : 0
  const images = page?.rows[0]?.input.kind === 'image'
  const narrowed = truth !== null || predicted !== null
  const gridHeatmaps = useAppStore((s) => s.explain.gridHeatmaps)
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
        {classes && (
          <>
            <label>
              true class{' '}
              <select aria-label="True class" value={truth ?? ''} onChange={(e) => void showPredictions(0, filter, { truth: e.target.value || null, predicted })}>
                <option value="">any</option>
                {classes.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <label>
              predicted{' '}
              <select aria-label="Predicted class" value={predicted ?? ''} onChange={(e) => void showPredictions(0, filter, { truth, predicted: e.target.value || null })}>
                <option value="">any</option>
                {classes.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            {narrowed && (
              <button type="button" className="small" onClick={() => void showPredictions(0, filter, { truth: null, predicted: null })}>
                Any class
              </button>
            )}
          </>
        )}
        {images && (
          <label>
            <input type="checkbox" checked={gridHeatmaps} onChange={(e) => void showGridHeatmaps(e.target.checked, page)} /> Grad-CAM on every tile
          </label>
        )}
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
      {page && page.rows.length === 0 && (
        <p className="muted">{narrowed ? 'No samples of these classes.' : filter === 'mistakes' ? 'No mistakes on this split.' : 'This split has no samples.'}</p>
      )}
      {page && page.rows.length > 0 && images && <ImageGrid page={page} />}
      {page && page.rows.length > 0 && !images && (
        <table className="predictions-table">
          <thead>
            <tr>
              <th>row</th>
              <th>input</th>
              <th>truth</th>
              <th>prediction</th>
              <th>{props.regression ? 'error' : 'confidence'}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {page.rows.map((r) => (
              <tr key={r.rowIndex} className={rowClass(r)} data-testid="prediction-row">
                <td>{r.rowIndex}</td>
                <td>
                  <InputCell row={r} />
                </td>
                <td>{fmt(r.truth)}</td>
                <td>{fmt(r.predicted)}</td>
                <td>{r.confidence !== null ? `${(r.confidence * 100).toFixed(1)}%` : r.error !== null ? r.error.toPrecision(3) : ''}</td>
                <td>
                  <ExplainButton page={page} row={r} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
