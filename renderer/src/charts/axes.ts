// Axis rules shared by the Runs and Compare charts: epochs are counted from 1 everywhere, so an
// epoch axis shows whole numbers only, and a lone point gets a range around it instead of none.

/** Tick spacings an epoch axis may use: whole epochs only (never 0.2 of an epoch). */
export const EPOCH_INCREMENTS: number[] = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000]

/** The 1-based epoch number people read for a stored (0-based) epoch index. */
export function epochNumber(storedEpoch: number): number {
  return storedEpoch + 1
}

/**
 * The x range to draw: the data's own, except that one x value (a single epoch so far) gets half
 * a unit either side, and whole-number axes start no lower than `floor` (epoch 1, step 0).
 */
export function xRange(min: number | null, max: number | null, floor: number | null = null): [number, number] {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1]
  if (min === max) return [floor === null ? min - 0.5 : Math.max(floor - 0.5, min - 0.5), max + 0.5]
  return [min, max]
}

/**
 * A uPlot x-scale range function built on xRange. uPlot pads a lone x value by itself (to 0..2
 * for x = 1) before asking, so the data's own x values are read here instead.
 */
export function xScaleRange(floor: number | null): (u: { data: ArrayLike<ArrayLike<number | null | undefined>> }, min: number, max: number) => [number, number] {
  return (u, min, max) => {
    const xs = u.data[0]
    if (xs && xs.length === 1 && typeof xs[0] === 'number') return xRange(xs[0], xs[0], floor)
    return xRange(min, max, floor)
  }
}

/** Whether a series is sparse enough that its points must be drawn as dots (a lone point has no line). */
export function needsPoints(pointCount: number): boolean {
  return pointCount <= 12
}

/**
 * The tick labels of an epoch axis: whole numbers only (uPlot may still offer a split between
 * two whole ones when zoomed). `seen` receives what is drawn, for the chart's data-x-ticks.
 */
export function epochTickLabels(splits: number[], seen?: (labels: string[]) => void): string[] {
  const out = splits.map((v) => (Number.isInteger(v) ? String(v) : ''))
  seen?.(out.filter((t) => t !== ''))
  return out
}
