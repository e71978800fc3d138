// The graph model edited on the canvas and persisted with a project.
// Pure data: everything here is JSON-serializable so it can cross IPC and be stored as-is.

/** Every layer kind the editor knows; the catalog (catalog.ts) has one entry per value. */
export const LAYER_TYPES = [
  'Input',
  'Dense',
  'Conv1D',
  'Conv2D',
  'SeparableConv2D',
  'Conv2DTranspose',
  'MaxPooling1D',
  'MaxPooling2D',
  'AveragePooling1D',
  'AveragePooling2D',
  'GlobalAveragePooling1D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling1D',
  'GlobalMaxPooling2D',
  'Flatten',
  'Reshape',
  'Dropout',
  'BatchNormalization',
  'LayerNormalization',
  'Activation',
  'Embedding',
  'SimpleRNN',
  'LSTM',
  'GRU',
  'Bidirectional',
  'Add',
  'Concatenate',
  'Rescaling',
] as const

/** A layer kind, e.g. 'Dense'. */
export type LayerType = (typeof LAYER_TYPES)[number]

/** Per-sample tensor shape (batch dimension excluded); null = unknown/variable size. */
export type Shape = (number | null)[]

/** 2-D canvas position of a node (top-left corner, canvas units). */
export interface Position {
  x: number
  y: number
}

/** One layer on the canvas. `name` becomes the tfjs layer name and must be unique. */
export interface GraphNode {
  id: string
  type: LayerType
  name: string
  params: Record<string, unknown>
  position: Position
}

/** A connection: the output of `source` feeds `target`. */
export interface GraphEdge {
  id: string
  source: string
  target: string
  /** Input slot order for Add/Concatenate (lower first); edges without it follow, in array order. */
  targetIndex?: number
}

/** The whole editable model. */
export interface ModelGraph {
  formatVersion: 1
  nodes: GraphNode[]
  edges: GraphEdge[]
}

/** True if `value` is one of the known layer types. */
export function isLayerType(value: unknown): value is LayerType {
  return typeof value === 'string' && (LAYER_TYPES as readonly string[]).includes(value)
}

/** An empty graph. */
export function emptyGraph(): ModelGraph {
  return { formatVersion: 1, nodes: [], edges: [] }
}
