import { useEffect, useRef } from 'react'
import { PixelThumb } from '../runs/PixelThumb'
import { heatColour } from './colormap'

/** A [0, 1] map drawn in the heat palette on a canvas of its own size (scaled by CSS). */
export function HeatCanvas(props: { values: readonly number[]; width: number; height: number; size: number; label: string; grey?: boolean; className?: string; opacity?: number }) {
  const ref = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const ctx = ref.current?.getContext('2d')
    if (!ctx) return
    const img = ctx.createImageData(props.width, props.height)
    props.values.forEach((v, i) => {
      const [r, g, b] = props.grey ? [v * 255, v * 255, v * 255] : heatColour(v)
      // Cold parts of a heatmap stay see-through, so the image shows where the model did not look.
      img.data.set([r, g, b, props.grey ? 255 : Math.round(255 * (0.25 + 0.75 * v))], i * 4)
    })
    ctx.putImageData(img, 0, 0)
  }, [props.values, props.width, props.height, props.grey])
  const scale = props.size / Math.max(props.width, props.height)
  return (
    <canvas
      ref={ref}
      className={props.className ?? 'pixel-thumb'}
      width={props.width}
      height={props.height}
      style={{ width: props.width * scale, height: props.height * scale, ...(props.opacity !== undefined ? { opacity: props.opacity } : {}) }}
      role="img"
      aria-label={props.label}
    />
  )
}

/** The sample image with its Grad-CAM heatmap laid over it at the given opacity. */
export function HeatmapOverlay(props: {
  image: { width: number; height: number; channels: 1 | 3; pixels: string }
  heatmap: { width: number; height: number; values: readonly number[] }
  opacity: number
  size: number
}) {
  return (
    <div className="heatmap-overlay" style={{ width: props.size, height: props.size }} data-testid="gradcam-overlay">
      <PixelThumb {...props.image} size={props.size} label="sample image" />
      <HeatCanvas values={props.heatmap.values} width={props.heatmap.width} height={props.heatmap.height} size={props.size} label="Grad-CAM heatmap" className="pixel-thumb heat-layer" opacity={props.opacity} />
    </div>
  )
}
