/** A value in [0, 1] as a jet-like colour (blue → cyan → yellow → red), the usual Grad-CAM palette. */
export function heatColour(v: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, v))
  const r = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 3)))
  const g = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 2)))
  const b = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 1)))
  return [Math.round(r * 255), Math.round(g * 255), Math.round(b * 255)]
}

/** Ten well-separated colours (matplotlib's tab10), one per class; more classes repeat them. */
const CLASS_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']

/** The colour of class k in the projector and its legend. */
export function classColour(k: number): string {
  return CLASS_COLOURS[k % CLASS_COLOURS.length]
}
