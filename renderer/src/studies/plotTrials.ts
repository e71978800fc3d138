import type { StudyDetail, TrialRow } from '../../../common/contract'
import { paramAxes, valueAxis, type PlotAxis } from '../../../common/studies/plotAxes'

/** What the study plots share: the varied parameters' axes, the objective's axis, and the trials that have an objective. */
export interface StudyPlotData {
  params: PlotAxis[]
  objective: PlotAxis & { kind: 'linear' }
  /** Trials with an objective (running ASHA trials carry their latest rung's), in number order. */
  scored: TrialRow[]
}

/** The axes and trials of a study's plots; the objective axis spans the values seen. */
export function studyPlotData(study: StudyDetail): StudyPlotData {
  const scored = study.trials.filter((t) => t.objective !== null && t.state !== 'invalid')
  const objective = valueAxis(study.objective.metric, scored.map((t) => t.objective!)) as PlotAxis & { kind: 'linear' }
  return { params: paramAxes(study.space), objective, scored }
}
