// Which selected runs share a chart: a loss is only comparable between runs trained on the same
// loss function (a regression's MSE of ~300 and a classifier's cross-entropy of ~0.3 on one axis
// flatten one of them into a line at zero).

/** A set of runs drawn on one chart, with what they share ('' when the chart is not split). */
export interface ChartGroup {
  label: string
  runIds: number[]
}

/** True for metrics whose scale is set by the loss function (loss, val_loss, batch_loss, ...). */
export function isLossMetric(metric: string): boolean {
  return /(^|_)loss$/.test(metric)
}

/**
 * Splits the runs to draw into one group per loss function for loss metrics, keeping the runs'
 * order; a run whose loss is unknown joins the first group. Other metrics, or runs that all share
 * one loss, give a single unlabelled group.
 */
export function chartGroups(metric: string, runIds: readonly number[], lossOf: Readonly<Record<number, string>>): ChartGroup[] {
  if (!isLossMetric(metric)) return [{ label: '', runIds: [...runIds] }]
  const order: string[] = []
  const by = new Map<string, number[]>()
  const unknown: number[] = []
  for (const id of runIds) {
    const loss = lossOf[id]
    if (loss === undefined) {
      unknown.push(id)
      continue
    }
    if (!by.has(loss)) {
      by.set(loss, [])
      order.push(loss)
    }
    by.get(loss)!.push(id)
  }
  if (order.length <= 1) return [{ label: '', runIds: [...runIds] }]
  const groups = order.map((loss) => ({ label: loss, runIds: by.get(loss)! }))
  groups[0]!.runIds.unshift(...unknown)
  return groups
}
