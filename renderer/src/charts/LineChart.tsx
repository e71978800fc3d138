import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

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

/** A uPlot line chart that resizes with its box and redraws in place when its data changes. */
export function LineChart(props: { title: string; lines: Line[]; xLabel: string; height?: number; logY?: boolean; testId?: string }) {
  const box = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  const shape = props.lines.map((l) => l.name + l.color).join('|') + (props.logY ? 'log' : '')
  useEffect(() => {
    if (!box.current) return
    const opts: uPlot.Options = {
      title: props.title,
      width: box.current.clientWidth || 600,
      height: props.height ?? 220,
      scales: { x: { time: false }, y: props.logY ? { distr: 3 } : {} },
      axes: [{ label: props.xLabel, stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.15)' } }, { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.15)' } }],
      series: [{ label: props.xLabel }, ...props.lines.map((l) => ({ label: l.name, stroke: l.color, width: 1.5, dash: l.dash, spanGaps: true, points: { show: false } }))],
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
  return <div className="chart" ref={box} data-testid={props.testId} />
}
