import { useEffect, useMemo, useRef, useState } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { SeriesX } from '../../../common/contract'
import { useAppStore } from '../store'
import { loadSeries } from '../store/compareActions'
import { runColor, runColorAlpha } from './colors'
import { EPOCH_INCREMENTS, epochTickLabels, needsPoints, xScaleRange } from '../charts/axes'
import { effectiveSmoothing } from './ema'
import { formatMetric } from './format'
import { buildPlotData, longestSeries, RAW_BEHIND_MAX_RUNS, type PlotData } from './plotData'

const X_LABEL: Record<SeriesX, string> = { step: 'step', epoch: 'epoch', wall: 'wall time (s)' }
const HEIGHT = 260
const GRID = { stroke: 'rgba(128,128,128,0.15)' }

/** The points main is asked for: the chart's pixel width, in steps of 16 px so small resizes do not refetch. */
export function pointsForWidth(width: number): number {
  return Math.max(64, Math.floor(width / 16) * 16)
}

function presentCount(col: ArrayLike<number | null | undefined> | undefined): number {
  let n = 0
  if (col) for (let i = 0; i < col.length; i++) if (col[i] != null) n++
  return n
}

function toAligned(d: PlotData): uPlot.AlignedData {
  // uPlot's types say (number | null)[], but it reads undefined as "no point here" and spans it.
  return [d.x, ...d.raw, ...d.main] as unknown as uPlot.AlignedData
}

/** Draws each visible run's best point as a dot ringed in the background color. */
function drawBest(u: uPlot, d: PlotData): void {
  const ctx = u.ctx
  const r = 4 * uPlot.pxRatio
  const { left, top, width, height } = u.bbox
  // The ring takes the panel color of the theme; read from the attribute, since getComputedStyle
  // here would force a style recalculation of the whole page on every draw.
  const ring = document.documentElement.dataset.theme === 'dark' ? '#1c2029' : '#ffffff'
  ctx.save()
  d.best.forEach((b, i) => {
    const s = u.series[1 + d.raw.length + i]
    if (!b || !s?.show) return
    const cx = u.valToPos(b.x, 'x', true)
    const cy = u.valToPos(b.y, 'y', true)
    if (!(cx >= left && cx <= left + width && cy >= top && cy <= top + height)) return
    ctx.beginPath()
    ctx.arc(cx, cy, r, 0, 2 * Math.PI)
    ctx.fillStyle = runColor(d.runIds[i] as number)
    ctx.fill()
    ctx.lineWidth = 1.5 * uPlot.pxRatio
    ctx.strokeStyle = ring
    ctx.stroke()
  })
  ctx.restore()
}

/**
 * One metric of the selected runs, overlaid: a smoothed curve per run (with its raw curve faint
 * behind), a dot on each run's best value, a live legend (hover shows every run's value at that x;
 * click an entry to hide the run). Fetches exactly as many points as it is pixels wide.
 */
export function MetricChart(props: { metric: string; runIds: readonly number[]; group?: string }) {
  const { metric } = props
  const selected = useAppStore((s) => s.compare.selected)
  const drawnKey = props.runIds.join(',')
  const rows = useAppStore((s) => s.compare.selectedRows)
  const chart = useAppStore((s) => s.compare.chart)
  const entry = useAppStore((s) => s.compare.series[metric])
  const liveTick = useAppStore((s) => s.compare.liveTick)
  const box = useRef<HTMLDivElement>(null)
  const plotBox = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  const hidden = useRef(new Set<number>())
  const [width, setWidth] = useState(0)
  const selKey = selected.join(',')
  const maxPoints = width > 0 ? pointsForWidth(width) : 0

  useEffect(() => {
    const el = box.current
    if (!el) return
    setWidth(el.clientWidth)
    const ro = new ResizeObserver(() => {
      setWidth(el.clientWidth)
      plot.current?.setSize({ width: el.clientWidth, height: HEIGHT })
    })
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  useEffect(() => {
    if (maxPoints > 0) void loadSeries(metric, maxPoints)
  }, [metric, selKey, chart.x, maxPoints])

  const seenTick = useRef(liveTick)
  useEffect(() => {
    if (liveTick === seenTick.current || maxPoints === 0) return
    seenTick.current = liveTick
    void loadSeries(metric, maxPoints, true)
  }, [liveTick, metric, maxPoints])

  const drawn = useMemo(() => {
    if (!entry) return []
    const sel = new Set(props.runIds)
    return entry.result.series.filter((s) => sel.has(s.runId))
    // drawnKey stands for props.runIds
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [entry, drawnKey])
  const smoothing = effectiveSmoothing(chart.smoothing, longestSeries(drawn))
  const epochs = chart.x === 'epoch'
  const data = useMemo(() => {
    if (!entry) return null
    // Stored epochs count from 0; people (and the Runs section) count from 1.
    return buildPlotData(drawn, { goal: entry.result.goal, smoothing, logY: chart.logY, pixels: entry.maxPoints, xShift: epochs ? 1 : 0 })
  }, [entry, drawn, smoothing, chart.logY, epochs])

  // The draw hook reads the latest data through refs: the plot outlives many data updates.
  const dataRef = useRef<PlotData | null>(null)
  dataRef.current = data
  const measurePending = useRef(false)
  const measuredEntry = useRef<unknown>(null)
  if (entry && entry !== measuredEntry.current) {
    measuredEntry.current = entry
    measurePending.current = true
  }

  const names = data?.runIds.map((id) => rows[id]?.name ?? `run ${id}`).join('\u0000') ?? ''
  const shape = data ? `${data.runIds.join(',')}|${data.raw.length > 0}|${chart.logY}|${chart.x}|${names}|${props.group ?? ''}` : ''
  const builtWith = useRef<PlotData | null>(null)

  useEffect(() => {
    const el = plotBox.current
    const d = dataRef.current
    if (!el || !d || d.runIds.length === 0) return
    const label = (id: number) => rows[id]?.name ?? `run ${id}`
    const n = d.runIds.length
    const opts: uPlot.Options = {
      width: box.current?.clientWidth || 600,
      height: HEIGHT,
      scales: { x: { time: false, range: xScaleRange(chart.x === 'epoch' ? 1 : chart.x === 'step' ? 0 : null) }, y: chart.logY ? { distr: 3 } : {} },
      axes: [
        {
          label: X_LABEL[chart.x],
          stroke: 'currentColor',
          grid: GRID,
          ...(chart.x === 'epoch' ? { incrs: EPOCH_INCREMENTS, values: (_u: uPlot, splits: number[]) => epochTickLabels(splits, (t) => box.current?.setAttribute('data-x-ticks', t.join(','))) } : {}),
        },
        { stroke: 'currentColor', grid: GRID, size: 60 },
      ],
      series: [
        { label: X_LABEL[chart.x], value: (_u, v) => (v == null ? '–' : formatMetric(v)) },
        ...d.raw.map((_, i) => ({
          label: `${label(d.runIds[i] as number)} (raw)`,
          class: 'raw-series',
          stroke: runColorAlpha(d.runIds[i] as number, 0.25),
          width: 1,
          points: { show: false },
          show: !hidden.current.has(d.runIds[i] as number),
        })),
        ...d.main.map((_, i) => ({
          label: label(d.runIds[i] as number),
          stroke: runColor(d.runIds[i] as number),
          width: 1.75,
          // A run with one or a few points (its first epochs) shows them as dots instead of bare axes.
          points: { show: (u: uPlot, si: number) => needsPoints(presentCount(u.data[si])), size: 7, fill: runColor(d.runIds[i] as number) },
          // Without NaNs there are no gaps to cut, so uPlot can skip scanning for them.
          spanGaps: !d.gaps[i],
          show: !hidden.current.has(d.runIds[i] as number),
          value: (_u: uPlot, v: number | null) => (v == null ? '–' : formatMetric(v)),
        })),
      ],
      legend: { live: true },
      cursor: { points: { show: n <= 20 } },
      hooks: {
        draw: [
          (u) => {
            const cur = dataRef.current
            if (cur) drawBest(u, cur)
            if (measurePending.current) {
              measurePending.current = false
              try {
                performance.clearMeasures(`compare-draw:${metric}`) // keep one entry per chart, not one per refresh
                const m = performance.measure(`compare-draw:${metric}`, `compare-data:${metric}`)
                performance.clearMarks(`compare-data:${metric}`) // a later redraw of cached data must not measure from it
                box.current?.setAttribute('data-draw-ms', m.duration.toFixed(1))
              } catch {
                // no data mark (the data came from an earlier visit): nothing to measure
              }
            }
          },
        ],
        setSeries: [
          (u, sidx, o) => {
            // A legend click toggles a run's main curve; its raw curve follows, and the choice survives rebuilds.
            if (sidx === null || o.show === undefined) return
            const i = sidx - 1 - d.raw.length
            if (i < 0 || i >= n) return
            const id = d.runIds[i] as number
            if (o.show) hidden.current.delete(id)
            else hidden.current.add(id)
            if (d.raw.length > 0) u.setSeries(1 + i, { show: o.show }, false)
          },
        ],
      },
    }
    const u = new uPlot(opts, toAligned(d), el)
    plot.current = u
    builtWith.current = d
    return () => {
      u.destroy()
      plot.current = null
    }
    // Rebuilt only when the set of curves or the axes change; new data goes through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape])

  useEffect(() => {
    if (!data || !plot.current || builtWith.current === data) return
    builtWith.current = data
    plot.current.setData(toAligned(data))
  }, [data])

  const empty = entry !== undefined && (data?.runIds.length ?? 0) === 0
  return (
    <figure
      className="metric-chart"
      data-testid={`compare-chart-${metric}`}
      data-group={props.group}
      data-curves={data?.runIds.length ?? 0}
      data-smoothing={smoothing}
      data-x-min={data?.x.length ? data.x[0] : undefined}
      ref={box}
    >
      <figcaption>
        <strong>{metric}</strong>
        {props.group && <span className="chip">{props.group}</span>}
        <span className="muted">
          {' '}
          {entry ? `${entry.result.goal === 'min' ? 'lower' : 'higher'} is better · dot = best` : 'loading…'}
          {smoothing > 0 ? ` · smoothed (EMA ${smoothing.toFixed(2)}${chart.smoothing === null ? ', auto' : ''}), raw faint` : ''}
          {data && smoothing > 0 && data.raw.length === 0 && data.runIds.length > RAW_BEHIND_MAX_RUNS ? ` · raw curves hidden above ${RAW_BEHIND_MAX_RUNS} runs` : ''}
          {entry?.result.series.some((s) => s.downsampled) ? ` · downsampled to ${entry.maxPoints} px` : ''}
        </span>
      </figcaption>
      {empty ? <p className="muted">None of the selected runs logged {metric}.</p> : <div ref={plotBox} />}
    </figure>
  )
}
