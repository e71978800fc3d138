import type { StateCreator } from 'zustand'
import type { ModelSummary, ModelVersionInfo } from '../../../common/contract'
import { createHistory, emptyGraph, type DataShape, type GraphChange, type GraphEdge, type GraphNode, type History, type ModelGraph } from '../../../common/graph'
import type { AppState } from './index'

/** The model open in the Designer and the editor's own state. */
export interface DesignerState {
  history: History
  modelId: number | null
  modelName: string
  /** The version the canvas was loaded from or last saved as, and its graph (to tell unsaved edits). */
  savedVersion: number | null
  savedGraph: ModelGraph | null
  versions: ModelVersionInfo[]
  selection: string[]
  clipboard: { nodes: GraphNode[]; edges: GraphEdge[] } | null
  /** `offer`: an edit the message proposes (e.g. replace a layer's input), applied by its button. */
  message: { kind: 'error' | 'info'; text: string; offer?: { label: string; change: GraphChange } } | null
  models: ModelSummary[]
  /** The dataset the model is being shaped for: its sample shape and target. */
  binding: { versionId: number; label: string; shape: DataShape } | null
}

/** The Designer's slice. */
export interface DesignerSlice {
  designer: DesignerState
}

/** A Designer with an empty, unsaved model. */
export function freshDesigner(models: ModelSummary[] = []): DesignerState {
  return {
    history: createHistory(emptyGraph()),
    modelId: null,
    modelName: 'Untitled model',
    savedVersion: null,
    savedGraph: null,
    versions: [],
    selection: [],
    clipboard: null,
    message: null,
    models,
    binding: null,
  }
}

/** Initial Designer state. */
export const createDesignerSlice: StateCreator<AppState, [], [], DesignerSlice> = () => ({ designer: freshDesigner() })
