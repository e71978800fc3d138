import type { StudyDetail } from '../../../common/contract'
import { axisPosition, axisTicks, jitter, objectiveColor, type PlotAxis } from '../../../common/studies/plotAxes'
import type { StudyPlotData } from './plotTrials'

const W = 230
const H = 160
const LEFT = 46
const RIGHT = 10
const TOP = 10
const BOTTOM = 30

/** One parameter's marginal: the objective of every scored trial against that parameter's value. */
function MarginalPlot({ axis, study, data, hovered, onHover }: { axis: PlotAxis; study: StudyDetail; data: StudyPlotData; hovered: number | null; onHover: (trial: number | null) => void }) {
  // Values sit inside the frame (a dot at the first category must not cover the y axis and its labels).
  const inset = axis.kind === 'categorical' ? 22 : 8
  const innerW = W - LEFT - RIGHT - 2 * inset
  const x = (pos: number) => LEFT + inset + pos * innerW
  const y = (pos: number) => TOP + 6 + (1 - pos) * (H - TOP - BOTTOM - 12)
  // Trials sharing a category spread across part of the gap to the next one, never past the frame.
  const spread = axis.kind === 'categorical' ? Math.min(inset - 6, (axis.categories.length > 1 ? innerW / (axis.categories.length - 1) : innerW) * 0.15) : 0
  const { min, max } = data.objective
  return (
    <figure className="marginal" data-testid="marginal-plot" data-param={axis.key} data-scale={axis.kind}>
      <figcaption>
        {axis.key}
        {axis.kind === 'log' ? ' (log scale)' : ''}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`${study.objective.metric} against ${axis.key}`}>
        <line x1={LEFT} x2={W - RIGHT} y1={H - BOTTOM} y2={H - BOTTOM} className="axis" />
        <line x1={LEFT} x2={LEFT} y1={TOP} y2={H - BOTTOM} className="axis" />
        {axisTicks(axis).map((t) => (
          <text key={`${t.label}-${t.pos}`} x={x(t.pos)} y={H - BOTTOM + 13} textAnchor="middle" className="tick">
            {t.label.length > 9 ? `${t.label.slice(0, 8)}…` : t.label}
          </text>
        ))}
        {axisTicks(data.objective).map((t) => (
          <text key={`y-${t.pos}`} x={LEFT - 4} y={y(t.pos) + 3} textAnchor="end" className="tick">
            {t.label}
          </text>
        ))}
        {data.scored.map((t) => {
          const px = axisPosition(axis, t.params[axis.key])
          const py = axisPosition(data.objective, t.objective)
          if (px === null || py === null) return null
          return (
            <circle
              key={t.number}
              cx={x(px) + jitter(t.number) * spread}
              cy={y(py)}
              r={t.number === hovered ? 6 : 4}
              className={`marginal-dot state-${t.state}${t.number === study.best?.number ? ' is-best' : ''}${t.number === hovered ? ' is-hovered' : ''}`}
              fill={objectiveColor(t.objective!, min, max, study.objective.direction)}
              data-testid="marginal-dot"
              onMouseEnter={() => onHover(t.number)}
              onMouseLeave={() => onHover(null)}
            >
              <title>{`trial ${t.number}: ${axis.key} ${String(t.params[axis.key])}, ${study.objective.metric} ${t.objective!.toPrecision(4)} (${t.state})`}</title>
            </circle>
          )
        })}
      </svg>
    </figure>
  )
}

/** Per-parameter marginal plots (objective against each varied parameter), live as trials report. */
export function MarginalPlots({ study, data, hovered, onHover }: { study: StudyDetail; data: StudyPlotData; hovered: number | null; onHover: (trial: number | null) => void }) {
  if (data.params.length === 0 || data.scored.length === 0) return null
  return (
    <div className="study-plot marginals" data-testid="marginal-plots">
      <p className="caption">{study.objective.metric} against each parameter</p>
      <div className="marginal-grid">
        {data.params.map((axis) => (
          <MarginalPlot key={axis.key} axis={axis} study={study} data={data} hovered={hovered} onHover={onHover} />
        ))}
      </div>
    </div>
  )
}
