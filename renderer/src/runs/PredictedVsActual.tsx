// A regression run's predicted-vs-actual scatter: one dot per test sample (thinned by main to at
// most 2,000) and the diagonal where a perfect model's dots would lie.

const W = 360
const H = 300
const PAD = { left: 52, right: 12, top: 12, bottom: 40 }

/** One shared [lo, hi] for both axes (so the diagonal is at 45°), padded by 5%; a constant gets ±1. */
export function sharedRange(a: readonly number[], b: readonly number[]): [number, number] {
  let lo = Infinity
  let hi = -Infinity
  for (const v of [...a, ...b]) {
    if (!Number.isFinite(v)) continue
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (lo > hi) return [0, 1]
  if (lo === hi) return [lo - 1, hi + 1]
  const pad = (hi - lo) * 0.05
  return [lo - pad, hi + pad]
}

/** Up to about five round tick values (steps of 1, 2 or 5 times a power of ten) inside [lo, hi]. */
export function niceTicks(lo: number, hi: number, about = 5): number[] {
  const span = hi - lo
  if (!(span > 0)) return [lo]
  const raw = span / about
  const pow = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) as number
  const out: number[] = []
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)))
  return out
}

const tick = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(3))))

/** The scatter with its axes, labelled "actual" (x) and "predicted" (y). */
export function PredictedVsActual(props: { actual: number[]; predicted: number[]; target: string }) {
  const [lo, hi] = sharedRange(props.actual, props.predicted)
  const sx = (v: number) => PAD.left + ((v - lo) / (hi - lo)) * (W - PAD.left - PAD.right)
  const sy = (v: number) => H - PAD.bottom - ((v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom)
  const ticks = niceTicks(lo, hi)
  return (
    <figure className="scatter" data-testid="predicted-vs-actual" data-points={props.actual.length}>
      <figcaption>
        Predicted vs actual {props.target} <span className="muted">· {props.actual.length} test samples · on the diagonal = exact</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`Predicted versus actual ${props.target}`}>
        <line x1={sx(lo)} y1={sy(lo)} x2={sx(hi)} y2={sy(hi)} className="diagonal" />
        {ticks.map((t, i) => (
          <g key={i} className="tick">
            <text x={sx(t)} y={H - PAD.bottom + 14} textAnchor="middle">
              {tick(t)}
            </text>
            <text x={PAD.left - 6} y={sy(t) + 4} textAnchor="end">
              {tick(t)}
            </text>
          </g>
        ))}
        <line x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} className="axis" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} className="axis" />
        <text x={(PAD.left + W - PAD.right) / 2} y={H - 6} textAnchor="middle" className="axis-label">
          actual
        </text>
        <text x={12} y={(PAD.top + H - PAD.bottom) / 2} textAnchor="middle" className="axis-label" transform={`rotate(-90 12 ${(PAD.top + H - PAD.bottom) / 2})`}>
          predicted
        </text>
        {props.actual.map((a, i) => (
          <circle key={i} cx={sx(a)} cy={sy(props.predicted[i])} r={2.5} className="dot" />
        ))}
      </svg>
    </figure>
  )
}
