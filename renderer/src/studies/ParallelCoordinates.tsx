import type { StudyDetail } from '../../../common/contract'
import { axisPosition, axisTicks, objectiveColor, type PlotAxis } from '../../../common/studies/plotAxes'
import { ObjectiveLegend } from './ObjectiveLegend'
import type { StudyPlotData } from './plotTrials'

const SPACING = 150
const H = 230
const TOP = 34
const BOTTOM = 14
const LEFT = 56
const RIGHT = 64

/**
 * Parallel coordinates: one vertical axis per varied parameter (log for log-uniform ranges,
 * categories for choices) and the objective's last; one line per finished trial coloured by its
 * objective, the best drawn on top and thicker. Hovering a line reports its trial (the table
 * highlights that row), and a hovered row highlights its line.
 */
export function ParallelCoordinates({ study, data, hovered, onHover }: { study: StudyDetail; data: StudyPlotData; hovered: number | null; onHover: (trial: number | null) => void }) {
  const axes: PlotAxis[] = [...data.params, { ...data.objective, key: study.objective.metric }]
  const finished = data.scored.filter((t) => t.state === 'completed' || t.state === 'pruned')
  if (data.params.length === 0) return null
  if (finished.length === 0) return <p className="muted">Parallel coordinates fill in as trials finish.</p>
  const W = LEFT + RIGHT + (axes.length - 1) * SPACING
  const x = (i: number) => LEFT + i * SPACING
  const y = (pos: number) => TOP + (1 - pos) * (H - TOP - BOTTOM)
  const { min, max } = data.objective
  const bestNumber = study.best?.number ?? null
  // The best line and the hovered one are drawn last, so nothing covers them.
  const order = [...finished].sort((a, b) => Number(a.number === bestNumber) - Number(b.number === bestNumber) || Number(a.number === hovered) - Number(b.number === hovered))
  return (
    <figure className="study-plot parallel" data-testid="parallel-coordinates">
      <figcaption>Parameters of each finished trial, coloured by {study.objective.metric}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label="Parallel coordinates of the trials" onMouseLeave={() => onHover(null)}>
        {axes.map((axis, i) => (
          <line key={axis.key} x1={x(i)} x2={x(i)} y1={TOP} y2={H - BOTTOM} className="axis" />
        ))}
        {order.map((t) => {
          const points = axes.map((axis, i) => {
            const pos = i === axes.length - 1 ? axisPosition(axis, t.objective) : axisPosition(axis, t.params[axis.key])
            return pos === null ? null : `${x(i)},${y(pos)}`
          })
          if (points.some((p) => p === null)) return null
          const cls = ['pc-line', t.number === bestNumber ? 'is-best' : '', t.number === hovered ? 'is-hovered' : '', hovered !== null && t.number !== hovered ? 'is-faded' : '', t.state === 'pruned' ? 'is-pruned' : '']
          return (
            <g key={t.number} onMouseEnter={() => onHover(t.number)}>
              <polyline
                points={points.join(' ')}
                className={cls.filter(Boolean).join(' ')}
                stroke={objectiveColor(t.objective!, min, max, study.objective.direction)}
                data-testid="pc-line"
                data-trial={t.number}
              />
              {/* A wide invisible twin, so a thin line is easy to point at. */}
              <polyline points={points.join(' ')} className="pc-hit">
                <title>{`trial ${t.number}: ${study.objective.metric} ${t.objective!.toPrecision(4)}${t.state === 'pruned' ? ' (stopped early)' : ''}`}</title>
              </polyline>
            </g>
          )
        })}
        {/* Names and ticks go on top of the lines (with a halo, see studies.css), so no line hides them. */}
        {axes.map((axis, i) => (
          <g key={axis.key} className="pc-axis" data-testid="pc-axis" data-scale={axis.kind}>
            <text x={x(i)} y={12} textAnchor="middle" className="axis-name">
              {axis.key.length > 22 ? `${axis.key.slice(0, 21)}…` : axis.key}
            </text>
            {(axis.kind === 'log' || i === axes.length - 1) && (
              <text x={x(i)} y={24} textAnchor="middle" className="tick">
                {i === axes.length - 1 ? 'objective' : 'log scale'}
              </text>
            )}
            {axisTicks(axis).map((t) => (
              <text key={`${t.label}-${t.pos}`} x={x(i) - 4} y={y(t.pos) + 3} textAnchor="end" className="tick">
                {t.label.length > 10 ? `${t.label.slice(0, 9)}…` : t.label}
              </text>
            ))}
          </g>
        ))}
      </svg>
      <ObjectiveLegend min={min} max={max} direction={study.objective.direction} metric={study.objective.metric} />
    </figure>
  )
}
