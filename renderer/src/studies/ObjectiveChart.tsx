import type { TrialRow } from '../../../common/contract'
import { runningBest } from './rank'

const W = 420
const H = 160
const PAD = 28
// Room for the value labels left of the y axis.
const LEFT = 44

/** Objective of each trial against its number, with the best-so-far line. */
export function ObjectiveChart({ trials, direction }: { trials: TrialRow[]; direction: 'min' | 'max' }) {
  const points = trials.filter((t) => t.objective !== null)
  if (points.length === 0) return <p className="muted">The chart fills in as trials finish.</p>
  const best = runningBest(trials.map((t) => (t.state === 'completed' ? t.objective : null)), direction)
  const ys = points.map((t) => t.objective!)
  const lo = Math.min(...ys)
  const hi = Math.max(...ys)
  const n = Math.max(...trials.map((t) => t.number))
  const x = (k: number) => LEFT + ((k - 1) / Math.max(1, n - 1)) * (W - LEFT - PAD)
  const y = (v: number) => H - PAD - ((v - lo) / (hi - lo || 1)) * (H - 2 * PAD)
  const line = trials
    .map((t, i) => (best[i] === null ? null : `${x(t.number)},${y(best[i]!)}`))
    .filter((p) => p !== null)
    .join(' ')
  return (
    <svg className="study-chart" width={W} height={H} role="img" aria-label="Objective by trial" data-testid="study-objective-chart">
      <line x1={LEFT} y1={H - PAD} x2={W - PAD} y2={H - PAD} className="axis" />
      <line x1={LEFT} y1={PAD} x2={LEFT} y2={H - PAD} className="axis" />
      <text x={LEFT - 4} y={PAD + 3} textAnchor="end" className="tick">{hi.toPrecision(3)}</text>
      <text x={LEFT - 4} y={H - PAD + 3} textAnchor="end" className="tick">{lo.toPrecision(3)}</text>
      <text x={W / 2} y={H - 6} className="tick">trial</text>
      <polyline points={line} className="best-line" data-testid="best-so-far" />
      {points.map((t) => (
        <circle key={t.number} cx={x(t.number)} cy={y(t.objective!)} r={4} className={`dot state-${t.state}`}>
          <title>{`trial ${t.number}: ${t.objective} (${t.state})`}</title>
        </circle>
      ))}
    </svg>
  )
}
