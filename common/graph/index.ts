// Public surface of the graph module (pure TypeScript; safe to import from main and renderer).
export * from './types'
export * from './catalog'
export * from './issues'
export { inferGraph, validateGraph, describeShape, type InferContext, type InferResult, type NodeInfo } from './infer'
export { shapeSize, formatShape } from './layerRules'
export { wouldCreateCycle, indexGraph, topoSort, outputNodes, LAYER_NAME_PATTERN, type GraphIndex } from './validate'
export { BASE_NAMES, newNodeId, newEdgeId, newLayerName } from './ids'
export { computeLayout, layoutGraph, type LayoutOptions } from './layout'
export { TEMPLATES, TEMPLATE_NAMES, buildTemplate, listTemplates, type TemplateName, type TemplateOptions, type TemplateInfo } from './templates'
export { KerasFormatError, type KerasModelJson, type KerasLayerJson, type Json, type JsonObject } from './kerasFormat'
export { toTfjs, toTfjsJson, GraphExportError, type ToTfjsOptions } from './toTfjs'
export { fromTfjs, type ImportResult } from './fromTfjs'
export {
  dataShapeOf,
  dataFitProblems,
  dataFitIssues,
  suggestedLossFor,
  outputHeadFor,
  bindingChanges,
  describeBinding,
  defaultTargetTask,
  CLASSIFICATION_MAX_INT_CLASSES,
  TARGET_COLUMN_TYPES,
  type DataShape,
  type DataFitProblem,
  type DataVersionLike,
  type LossName,
} from './dataFit'
export {
  applyChange,
  replacingConnect,
  createNode,
  createHistory,
  commit,
  undo,
  redo,
  canUndo,
  canRedo,
  HISTORY_LIMIT,
  type GraphChange,
  type ChangeResult,
  type History,
  type CommitOptions,
} from './changes'
