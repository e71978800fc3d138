import { useEffect, useRef } from 'react'
import type { Projection } from '../../../common/contract'
import { classColour } from './colormap'

const WIDTH = 640
const HEIGHT = 480
/** Pointer travel (px) under which a press and release is a click, not a drag. */
const CLICK_SLOP = 4
/** How near (px) the pointer must be to a point to hover it. */
const HOVER_PX = 8

interface View {
  scale: number
  tx: number
  ty: number
}

/** Fits the map's bounds into the canvas with a margin. */
function fitView(m: Projection): View {
  let x0 = Infinity
  let x1 = -Infinity
  let y0 = Infinity
  let y1 = -Infinity
  for (let i = 0; i < m.x.length; i++) {
    x0 = Math.min(x0, m.x[i])
    x1 = Math.max(x1, m.x[i])
    y0 = Math.min(y0, m.y[i])
    y1 = Math.max(y1, m.y[i])
  }
  const scale = 0.9 * Math.min(WIDTH / Math.max(1e-9, x1 - x0), HEIGHT / Math.max(1e-9, y1 - y0))
  return { scale, tx: WIDTH / 2 - scale * (x0 + x1) / 2, ty: HEIGHT / 2 - scale * (y0 + y1) / 2 }
}

/**
 * The projector's scatter on a 2D canvas: points coloured by true class, mistakes ringed in black;
 * drag pans, the wheel zooms about the pointer (redrawn once per animation frame, the view kept
 * outside React so 10,000 points move smoothly). Reports the point under the pointer and clicks.
 */
export function ProjectorScatter(props: { map: Projection; hovered: number | null; onHover: (index: number | null) => void; onPick: (index: number) => void }) {
  const { map } = props
  // Few points are drawn bigger; 10,000 small enough to keep clusters apart.
  const RADIUS = map.x.length < 500 ? 4 : map.x.length < 3000 ? 3 : 2
  const canvas = useRef<HTMLCanvasElement>(null)
  const view = useRef<View>(fitView(map))
  const frame = useRef(0)
  const hovered = useRef<number | null>(props.hovered)
  hovered.current = props.hovered

  const draw = () => {
    frame.current = 0
    const c = canvas.current
    const ctx = c?.getContext('2d')
    if (!c || !ctx) return
    const { scale, tx, ty } = view.current
    ctx.clearRect(0, 0, WIDTH, HEIGHT)
    // One path per class: 10,000 arcs in a handful of fills.
    const byClass = new Map<number, number[]>()
    for (let i = 0; i < map.x.length; i++) {
      const px = map.x[i] * scale + tx
      const py = map.y[i] * scale + ty
      if (px < -RADIUS || py < -RADIUS || px > WIDTH + RADIUS || py > HEIGHT + RADIUS) continue
      let list = byClass.get(map.truth[i])
      if (!list) byClass.set(map.truth[i], (list = []))
      list.push(i)
    }
    for (const [k, list] of byClass) {
      ctx.fillStyle = classColour(k)
      ctx.beginPath()
      for (const i of list) {
        const px = map.x[i] * scale + tx
        const py = map.y[i] * scale + ty
        ctx.moveTo(px + RADIUS, py)
        ctx.arc(px, py, RADIUS, 0, 2 * Math.PI)
      }
      ctx.fill()
    }
    ctx.strokeStyle = '#000'
    ctx.lineWidth = 1
    ctx.beginPath()
    for (let i = 0; i < map.x.length; i++) {
      if (map.truth[i] === map.predicted[i]) continue
      const px = map.x[i] * scale + tx
      const py = map.y[i] * scale + ty
      ctx.moveTo(px + RADIUS + 1, py)
      ctx.arc(px, py, RADIUS + 1, 0, 2 * Math.PI)
    }
    ctx.stroke()
    const h = hovered.current
    if (h !== null && h < map.x.length) {
      ctx.lineWidth = 2
      ctx.beginPath()
      ctx.arc(map.x[h] * scale + tx, map.y[h] * scale + ty, RADIUS + 4, 0, 2 * Math.PI)
      ctx.stroke()
    }
  }
  const redraw = () => {
    if (!frame.current) frame.current = requestAnimationFrame(draw)
  }

  useEffect(() => {
    view.current = fitView(map)
    redraw()
    return () => cancelAnimationFrame(frame.current)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map])
  useEffect(redraw, [props.hovered]) // eslint-disable-line react-hooks/exhaustive-deps

  const nearest = (cx: number, cy: number): number | null => {
    const { scale, tx, ty } = view.current
    let best: number | null = null
    let bestD = HOVER_PX * HOVER_PX
    for (let i = 0; i < map.x.length; i++) {
      const dx = map.x[i] * scale + tx - cx
      const dy = map.y[i] * scale + ty - cy
      const d = dx * dx + dy * dy
      if (d < bestD) {
        best = i
        bestD = d
      }
    }
    return best
  }
  const local = (e: { clientX: number; clientY: number }) => {
    const r = canvas.current!.getBoundingClientRect()
    return [((e.clientX - r.left) * WIDTH) / r.width, ((e.clientY - r.top) * HEIGHT) / r.height] as const
  }
  const drag = useRef<{ x: number; y: number; moved: number } | null>(null)

  // The wheel listener is added by hand: React's is passive, and a zoom must stop the page scrolling.
  useEffect(() => {
    const c = canvas.current
    if (!c) return
    const onWheel = (e: WheelEvent) => {
      e.preventDefault()
      const [cx, cy] = local(e)
      const v = view.current
      const f = Math.exp(-e.deltaY * 0.0015)
      view.current = { scale: v.scale * f, tx: cx - (cx - v.tx) * f, ty: cy - (cy - v.ty) * f }
      redraw()
    }
    c.addEventListener('wheel', onWheel, { passive: false })
    return () => c.removeEventListener('wheel', onWheel)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  return (
    <canvas
      ref={canvas}
      className="projector-canvas"
      data-testid="projector-canvas"
      data-points={map.x.length}
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={`Map of ${map.x.length} samples coloured by true class`}
      onPointerDown={(e) => {
        drag.current = { x: e.clientX, y: e.clientY, moved: 0 }
        e.currentTarget.setPointerCapture(e.pointerId)
      }}
      onPointerMove={(e) => {
        const d = drag.current
        if (d) {
          const r = e.currentTarget.getBoundingClientRect()
          const dx = ((e.clientX - d.x) * WIDTH) / r.width
          const dy = ((e.clientY - d.y) * HEIGHT) / r.height
          d.moved += Math.abs(dx) + Math.abs(dy)
          d.x = e.clientX
          d.y = e.clientY
          if (d.moved > CLICK_SLOP) {
            view.current = { ...view.current, tx: view.current.tx + dx, ty: view.current.ty + dy }
            redraw()
            return
          }
        }
        const [cx, cy] = local(e)
        props.onHover(nearest(cx, cy))
      }}
      onPointerUp={(e) => {
        const d = drag.current
        drag.current = null
        if (d && d.moved <= CLICK_SLOP) {
          const [cx, cy] = local(e)
          const i = nearest(cx, cy)
          if (i !== null) props.onPick(i)
        }
      }}
      onPointerLeave={() => !drag.current && props.onHover(null)}
    />
  )
}
