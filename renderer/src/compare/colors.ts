// One color per run, the same in every chart, table swatch and bar: a hash of the run id picks a hue
// on the color wheel (Fibonacci hashing), so no state is needed to keep colors stable across views.

const GOLDEN = 0.6180339887498949
/** Lightness steps, cycled so runs whose hues land close still differ in brightness. */
const LIGHTNESS = [46, 58, 38]

/** The hue (0..360) of a run: consecutive ids land about 222° apart, so nearby runs never look alike. */
export function runHue(runId: number): number {
  const f = (runId * GOLDEN) % 1
  return Math.round(f * 3600) / 10
}

/** The run's CSS color (hsl), stable for the life of the run. */
export function runColor(runId: number): string {
  const l = LIGHTNESS[Math.abs(Math.floor(runId / 7)) % LIGHTNESS.length]
  return `hsl(${runHue(runId)} 70% ${l}%)`
}

/** The run's color at the given opacity (0..1), for faint raw curves behind smoothed ones. */
export function runColorAlpha(runId: number, alpha: number): string {
  const l = LIGHTNESS[Math.abs(Math.floor(runId / 7)) % LIGHTNESS.length]
  return `hsl(${runHue(runId)} 70% ${l}% / ${alpha})`
}
