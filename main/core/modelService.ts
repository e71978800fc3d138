import type { GraphSummary, ModelDetail } from '../../common/contract'
import { inferGraph } from '../../common/graph/infer'
import type { ModelGraph } from '../../common/graph/types'
import type { Db } from '../store'
import { getModel, saveModelVersion } from '../store/queries/models'

/** Infers a graph once to record what a saved version holds (layers, params, cost, issue counts). */
export function summarizeGraph(graph: ModelGraph): GraphSummary {
  const result = inferGraph(graph)
  return {
    layers: graph.nodes.length,
    trainableParams: result.totals.trainable,
    nonTrainableParams: result.totals.nonTrainable,
    macs: result.totals.macs,
    errors: result.issues.filter((i) => i.severity === 'error').length,
    warnings: result.issues.filter((i) => i.severity === 'warning').length,
  }
}

/** Saves a new version of a model (work in progress with errors is allowed; training refuses it). */
export function saveModel(db: Db, input: { modelId?: number; name: string; graph: ModelGraph }): ModelDetail {
  const { modelId, version } = saveModelVersion(db, { ...input, summary: summarizeGraph(input.graph) })
  return getModel(db, modelId, version)
}
