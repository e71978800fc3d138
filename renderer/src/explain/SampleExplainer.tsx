import type { SaliencyMethod } from '../../../common/contract'
import { useAppStore } from '../store'
import { changeExplanation, closeSample, setHeatmapOpacity } from '../store/explainActions'
import { ColumnBars } from './ColumnBars'
import { HeatCanvas, HeatmapOverlay } from './HeatmapOverlay'
import './explain.css'

const METHODS: { value: SaliencyMethod; label: string }[] = [
  { value: 'gradients', label: 'Vanilla gradients' },
  { value: 'smoothgrad', label: 'SmoothGrad (25 samples, σ 15%)' },
  { value: 'integrated', label: 'Integrated gradients (50 steps, zero baseline)' },
]
/** Classes listed beside the heatmap. */
const TOP_K = 5
const IMAGE_SIZE = 192

/**
 * One sample opened from the predictions: for images the Grad-CAM heatmap over the picture (opacity
 * slider, layer choice) and a saliency map; for table rows the attribution of each original column;
 * beside them the top-k class probabilities, each of which can be explained instead.
 */
export function SampleExplainer(props: { runId: number; checkpointId: number }) {
  const s = useAppStore((st) => st.explain.sample)
  const opacity = useAppStore((st) => st.explain.opacity)
  // A sample of another run or checkpoint stays closed until this one's predictions open one.
  if (!s || s.runId !== props.runId || s.checkpointId !== props.checkpointId) return null
  const r = s.result
  const input = s.row.input
  const top = r ? r.probabilities.map((p, k) => ({ k, p })).sort((a, b) => b.p - a.p).slice(0, TOP_K) : []
  return (
    <section className="sample-explainer" data-testid="sample-explainer" aria-label="Explain this sample">
      <header>
        <h4>
          Row {s.row.rowIndex} · true <strong>{String(s.row.truth)}</strong> · predicted <strong>{String(s.row.predicted)}</strong>
          {r?.classes && r.classIndex !== null && (
            <span className="muted">
              {' '}
              · explaining <strong data-testid="explained-class">{r.classes[r.classIndex]}</strong>
            </span>
          )}
          {r?.cached && <span className="muted"> · stored</span>}
        </h4>
        <span className="spacer" />
        <label>
          Saliency{' '}
          <select aria-label="Saliency method" value={s.method} disabled={s.busy} onChange={(e) => void changeExplanation({ method: e.target.value as SaliencyMethod })}>
            {METHODS.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="small" onClick={closeSample}>
          Close
        </button>
      </header>
      {s.busy && (
        <p className="muted" data-testid="explaining">
          Explaining in the background…
        </p>
      )}
      {s.error && (
        <div className="banner error" role="alert">
          {s.error}
        </div>
      )}
      {r && (
        <div className="explainer-body">
          {r.gradCam && input.kind === 'image' && (
            <figure>
              <HeatmapOverlay image={input} heatmap={{ width: r.gradCam.width, height: r.gradCam.height, values: r.gradCam.heatmap }} opacity={opacity} size={IMAGE_SIZE} />
              <figcaption>
                Grad-CAM of{' '}
                <select aria-label="Grad-CAM layer" value={r.gradCam.layer} disabled={s.busy} onChange={(e) => void changeExplanation({ layer: e.target.value })}>
                  {r.gradCam.layers.map((l) => (
                    <option key={l.name} value={l.name}>
                      {l.name} ({l.type} {l.height}×{l.width}×{l.channels})
                    </option>
                  ))}
                </select>
                <label className="opacity">
                  opacity{' '}
                  <input type="range" aria-label="Heatmap opacity" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setHeatmapOpacity(Number(e.target.value))} />
                </label>
              </figcaption>
            </figure>
          )}
          {r.pixels && (
            <figure>
              <HeatCanvas values={r.pixels.values} width={r.pixels.width} height={r.pixels.height} size={IMAGE_SIZE / 2} label="saliency map" grey />
              <figcaption className="muted">{METHODS.find((m) => m.value === r.method)?.label} (|attribution|, brightest = most)</figcaption>
            </figure>
          )}
          {r.columns && (
            <figure className="wide">
              <ColumnBars items={r.columns.map((c) => ({ name: c.column, value: c.value }))} sort testId="column-attributions" label="Attribution per column" />
              <figcaption className="muted">
                {METHODS.find((m) => m.value === r.method)?.label} per original column (one-hot features summed back)
                {r.completeness && ` · sum ${r.completeness.sum.toPrecision(4)} vs score change ${r.completeness.delta.toPrecision(4)}`}
              </figcaption>
            </figure>
          )}
          {r.classes && (
            <ol className="top-k" data-testid="top-k" aria-label="Top classes">
              {top.map(({ k, p }) => (
                <li key={k} className={k === r.classIndex ? 'explained' : ''}>
                  <button type="button" className="link" title="Explain this class" disabled={s.busy || k === r.classIndex} onClick={() => void changeExplanation({ classIndex: k })}>
                    {r.classes![k]}
                  </button>
                  <span className="prob-bar" style={{ width: `${p * 100}%` }} />
                  <span>{(p * 100).toFixed(1)}%</span>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  )
}
