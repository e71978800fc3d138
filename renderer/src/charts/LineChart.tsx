import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { EPOCH_INCREMENTS, epochTickLabels, needsPoints, xScaleRange } from './axes'

/** One line of a chart: its name, color and points (x ascending). */
export interface Line {
  name: string
  color: string
  x: ArrayLike<number>
  y: ArrayLike<number>
  dash?: number[]
}

/** Merges lines with different x values onto one sorted x axis (uPlot's data layout), gaps as null. */
export function alignLines(lines: Line[]): uPlot.AlignedData {
  const xs = Array.from(new Set(lines.flatMap((l) => Array.from(l.x)))).sort((a, b) => a - b)
  const at = new Map(xs.map((x, i) => [x, i]))
  const ys = lines.map((l) => {
    const col: (number | null)[] = new Array(xs.length).fill(null)
    for (let i = 0; i < l.x.length; i++) col[at.get(l.x[i])!] = l.y[i]
    return col
  })
  return [xs, ...ys] as uPlot.AlignedData
}

/** Values present (not null) in one uPlot column. */
function present(col: ArrayLike<number | null | undefined> | undefined): number {
  let n = 0
  if (col) for (let i = 0; i < col.length; i++) if (col[i] != null) n++
  return n
}

/**
 * A uPlot line chart that resizes with its box and redraws in place when its data changes. Sparse
 * lines (a run's first epochs) are drawn with dots, so one point is visible rather than bare axes;
 * `xKind="epoch"` gives whole-number ticks (the caller passes 1-based epochs).
 */
export function LineChart(props: { title: string; lines: Line[]; xLabel: string; xKind?: 'epoch' | 'step'; height?: number; logY?: boolean; testId?: string }) {
  const box = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  const epochs = props.xKind === 'epoch'
  const shape = props.lines.map((l) => l.name + l.color).join('|') + (props.logY ? 'log' : '') + (epochs ? 'epoch' : '')
  useEffect(() => {
    if (!box.current) return
    const opts: uPlot.Options = {
      title: props.title,
      width: box.current.clientWidth || 600,
      height: props.height ?? 220,
      scales: { x: { time: false, range: xScaleRange(epochs ? 1 : 0) }, y: props.logY ? { distr: 3 } : {} },
      axes: [
        {
          label: props.xLabel,
          stroke: 'currentColor',
          grid: { stroke: 'rgba(128,128,128,0.15)' },
          ...(epochs ? { incrs: EPOCH_INCREMENTS, values: (_u: uPlot, splits: number[]) => epochTickLabels(splits, (t) => box.current?.setAttribute('data-x-ticks', t.join(','))) } : {}),
        },
        { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.15)' } },
      ],
      series: [
        { label: props.xLabel },
        ...props.lines.map((l) => ({
          label: l.name,
          stroke: l.color,
          fill: undefined,
          width: 1.5,
          dash: l.dash,
          spanGaps: true,
          points: { show: (u: uPlot, si: number) => needsPoints(present(u.data[si])), size: 7, fill: l.color, stroke: l.color },
        })),
      ],
      legend: { live: true },
    }
    const u = new uPlot(opts, alignLines(props.lines), box.current)
    plot.current = u
    const ro = new ResizeObserver(() => box.current && u.setSize({ width: box.current.clientWidth, height: props.height ?? 220 }))
    ro.observe(box.current)
    return () => {
      ro.disconnect()
      u.destroy()
      plot.current = null
    }
    // Rebuild only when the set of lines changes; data updates go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, props.title, props.xLabel])
  useEffect(() => {
    plot.current?.setData(alignLines(props.lines))
  }, [props.lines])
  const points = props.lines.reduce((n, l) => n + l.x.length, 0)
  return <div className="chart" ref={box} data-testid={props.testId} data-points={points} data-x-kind={props.xKind ?? 'step'} />
}
