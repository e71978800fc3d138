/** A value in [0, 1] as a jet-like colour (blue → cyan → yellow → red), the usual Grad-CAM palette. */
export function heatColour(v: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, v))
  const r = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 3)))
  const g = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 2)))
  const b = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 1)))
  return [Math.round(r * 255), Math.round(g * 255), Math.round(b * 255)]
}
