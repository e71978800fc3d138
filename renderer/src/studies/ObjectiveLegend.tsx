import { axisLabel, objectiveGradient } from '../../../common/studies/plotAxes'

/** The colour scale of the study plots: worst (dark) to best (bright), with the values at both ends. */
export function ObjectiveLegend({ min, max, direction, metric }: { min: number; max: number; direction: 'min' | 'max'; metric: string }) {
  const [worst, best] = direction === 'min' ? [max, min] : [min, max]
  return (
    <div className="objective-legend" data-testid="objective-legend">
      <span>{`${metric}: worse ${axisLabel(worst)}`}</span>
      <span className="ramp" style={{ background: `linear-gradient(to right, ${objectiveGradient().join(', ')})` }} aria-hidden="true" />
      <span>{`better ${axisLabel(best)}`}</span>
    </div>
  )
}
