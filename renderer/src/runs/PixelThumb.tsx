import { useEffect, useRef } from 'react'

/** Decodes base64 to bytes (no Node Buffer in the renderer). */
function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** Raw HWC uint8 pixels (1 or 3 channels, as the dataset stores them) drawn on a canvas. */
export function PixelThumb(props: { width: number; height: number; channels: 1 | 3; pixels: string; size?: number; label?: string }) {
  const ref = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const canvas = ref.current
    const ctx = canvas?.getContext('2d')
    if (!canvas || !ctx) return
    const px = fromBase64(props.pixels)
    const img = ctx.createImageData(props.width, props.height)
    for (let i = 0, n = props.width * props.height; i < n; i++) {
      const c = props.channels
      img.data[i * 4] = px[i * c]
      img.data[i * 4 + 1] = px[i * c + (c === 3 ? 1 : 0)]
      img.data[i * 4 + 2] = px[i * c + (c === 3 ? 2 : 0)]
      img.data[i * 4 + 3] = 255
    }
    ctx.putImageData(img, 0, 0)
  }, [props.pixels, props.width, props.height, props.channels])
  const size = props.size ?? 64
  const scale = size / Math.max(props.width, props.height)
  return <canvas ref={ref} className="pixel-thumb" width={props.width} height={props.height} style={{ width: props.width * scale, height: props.height * scale }} role="img" aria-label={props.label ?? 'sample image'} />
}
