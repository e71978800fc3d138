import { useState } from 'react'
import type { EvalSplit, Projection, SampleInput } from '../../../common/contract'
import { PixelThumb } from '../runs/PixelThumb'
import { useAppStore } from '../store'
import { cancelProjector, closeProjector, hoverPoint, openPoint, openProjector } from '../store/projectorActions'
import { classColour } from './colormap'
import { ProjectorScatter } from './ProjectorScatter'

const PHASES = { loading: 'Loading the model', activations: 'Reading activations', neighbours: 'Finding neighbours', layout: 'Laying out the map' } as const

function HoverCard(props: { map: Projection; index: number; input: SampleInput | null }) {
  const { map, index, input } = props
  const truth = map.classes[map.truth[index]]
  const predicted = map.classes[map.predicted[index]]
  return (
    <div className="projector-hover" data-testid="projector-hover">
      {input?.kind === 'image' && <PixelThumb {...input} size={96} label={`row ${map.rowIndex[index]}`} />}
      {input?.kind === 'tabular' && (
        <dl className="projector-row">
          {input.values.map((v) => (
            <div key={v.column}>
              <dt>{v.column}</dt>
              <dd>{v.value === null ? '∅' : String(v.value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {!input && <span className="muted">Loading the sample…</span>}
      <div>
        Row {map.rowIndex[index]} · true <strong>{truth}</strong> · predicted <strong>{predicted}</strong> ({Math.round(map.confidence[index] * 100)}%)
        {truth !== predicted && <span className="mistake-tag"> mistake</span>}
      </div>
      <div className="muted small-text">Click to explain it</div>
    </div>
  )
}

/**
 * The embedding projector beside a checkpoint's predictions: maps one layer's activations (default:
 * the one feeding the output) of up to 10,000 samples to 2-D with UMAP in the worker, with progress
 * and Cancel; then the scatter, its legend, the hovered sample and a click that explains it.
 */
export function ProjectorPanel(props: { runId: number; checkpointId: number; split: EvalSplit }) {
  const p = useAppStore((s) => s.explain.projector)
  const mine = p && p.runId === props.runId && p.checkpointId === props.checkpointId ? p : null
  const map = mine?.result ?? null
  const layers = map?.layers ?? []
  const [pointer, setPointer] = useState({ x: 0, y: 0, width: 0, height: 0 })
  return (
    <section className="projector" data-testid="projector" aria-label="Embedding projector">
      <header>
        <h4>Embedding projector</h4>
        {!mine && (
          <button type="button" onClick={() => void openProjector(props.runId, props.checkpointId, props.split)}>
            Map the learned space
          </button>
        )}
        {map && (
          <label>
            Layer{' '}
            <select aria-label="Projector layer" value={mine!.layer ?? ''} onChange={(e) => void openProjector(props.runId, props.checkpointId, props.split, e.target.value || null)}>
              <option value="">{mine!.layer === null ? `before the output (${map.layer})` : 'before the output'}</option>
              {layers.map((l) => (
                <option key={l.name} value={l.name}>
                  {l.name} · {l.type} · {l.width} wide
                </option>
              ))}
            </select>
          </label>
        )}
        {mine && !mine.busy && (
          <button type="button" className="small" onClick={closeProjector}>
            Close
          </button>
        )}
      </header>
      {mine?.busy && (
        <div className="projector-progress" data-testid="projector-progress">
          <span>{mine.progress ? `${PHASES[mine.progress.phase]}: ${mine.progress.done} / ${mine.progress.total}` : 'Starting…'}</span>
          <progress max={mine.progress?.total || 1} value={mine.progress?.done ?? 0} />
          <button type="button" onClick={() => void cancelProjector()}>
            Cancel
          </button>
        </div>
      )}
      {mine?.error && (
        <div className="banner error" role="alert">
          {mine.error}
        </div>
      )}
      {map && mine && (
        <>
          <p className="muted small-text" data-testid="projector-summary">
            {map.x.length.toLocaleString('en-US')} {map.split} samples · layer {map.layer} ({map.width} wide) · UMAP, seed {map.seed}
            {map.cached ? ' · stored' : ` · ${map.seconds.toFixed(1)} s`} · drag to pan, wheel to zoom; ringed points are mistakes
          </p>
          <ul className="projector-legend" aria-label="Classes">
            {map.classes.map((c, k) => (
              <li key={c}>
                <span className="swatch" style={{ background: classColour(k) }} />
                {c}
              </li>
            ))}
            <li>
              <span className="swatch mistake" />
              mistake
            </li>
          </ul>
          <div
            className="projector-body"
            onPointerMove={(e) => {
              const r = e.currentTarget.getBoundingClientRect()
              setPointer({ x: e.clientX - r.left, y: e.clientY - r.top, width: r.width, height: r.height })
            }}
          >
            <ProjectorScatter map={map} hovered={mine.hover?.index ?? null} onHover={(i) => void hoverPoint(i)} onPick={(i) => void openPoint(i)} />
            {mine.hover && (
              // Beside the pointer, never under it (pointer-events: none), so a click still reaches the
              // point; on the side with more room, so the card is not cut off at the map's edge.
              <div
                className="projector-tooltip"
                data-testid="projector-tooltip"
                style={{
                  ...(pointer.x > pointer.width / 2 ? { right: pointer.width - pointer.x + 14 } : { left: pointer.x + 14 }),
                  ...(pointer.y > pointer.height / 2 ? { bottom: pointer.height - pointer.y + 14 } : { top: pointer.y + 14 }),
                }}
              >
                <HoverCard map={map} index={mine.hover.index} input={mine.hover.input} />
              </div>
            )}
          </div>
        </>
      )}
    </section>
  )
}
