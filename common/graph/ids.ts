// Deterministic id and layer-name generation, so the change reducer stays pure and replayable.
import type { LayerType, ModelGraph } from './types'

/** Keras-style base names per layer type ('Conv2D' → 'conv2d'). */
export const BASE_NAMES: Readonly<Record<LayerType, string>> = {
  Input: 'input',
  Dense: 'dense',
  Conv1D: 'conv1d',
  Conv2D: 'conv2d',
  SeparableConv2D: 'separable_conv2d',
  Conv2DTranspose: 'conv2d_transpose',
  MaxPooling1D: 'max_pooling1d',
  MaxPooling2D: 'max_pooling2d',
  AveragePooling1D: 'average_pooling1d',
  AveragePooling2D: 'average_pooling2d',
  GlobalAveragePooling1D: 'global_average_pooling1d',
  GlobalAveragePooling2D: 'global_average_pooling2d',
  GlobalMaxPooling1D: 'global_max_pooling1d',
  GlobalMaxPooling2D: 'global_max_pooling2d',
  Flatten: 'flatten',
  Reshape: 'reshape',
  Dropout: 'dropout',
  BatchNormalization: 'batch_normalization',
  LayerNormalization: 'layer_normalization',
  Activation: 'activation',
  Embedding: 'embedding',
  SimpleRNN: 'simple_rnn',
  LSTM: 'lstm',
  GRU: 'gru',
  Bidirectional: 'bidirectional',
  Add: 'add',
  Concatenate: 'concatenate',
  Rescaling: 'rescaling',
}

/** Hands out ids `${prefix}${k}` above every numeric id of that form already in the graph. */
export class IdSource {
  private next: number
  private readonly prefix: string
  constructor(existing: Iterable<string>, prefix: string) {
    this.prefix = prefix
    let max = 0
    const re = new RegExp(`^${prefix}(\\d+)$`)
    for (const id of existing) {
      const m = re.exec(id)
      if (m) max = Math.max(max, Number(m[1]))
    }
    this.next = max + 1
  }
  /** A fresh id. */
  take(): string {
    return `${this.prefix}${this.next++}`
  }
}

/** Hands out layer names `${base}_${k}` not used by any name it was given or already handed out. */
export class NameSource {
  private readonly used: Set<string>
  constructor(existing: Iterable<string>) {
    this.used = new Set(existing)
  }
  /** A fresh name for a layer type (or an explicit base). */
  take(base: string): string {
    let k = 1
    while (this.used.has(`${base}_${k}`)) k++
    const name = `${base}_${k}`
    this.used.add(name)
    return name
  }
  /** `wanted` itself if free, else a numbered variant. */
  takeOrKeep(wanted: string): string {
    if (!this.used.has(wanted)) {
      this.used.add(wanted)
      return wanted
    }
    return this.take(wanted.replace(/_\d+$/, ''))
  }
}

/** A fresh node id for the graph ("n<k>"). */
export function newNodeId(graph: ModelGraph): string {
  return new IdSource(graph.nodes.map((n) => n.id), 'n').take()
}

/** A fresh edge id for the graph ("e<k>"). */
export function newEdgeId(graph: ModelGraph): string {
  return new IdSource(graph.edges.map((e) => e.id), 'e').take()
}

/** A layer name unused in the graph, e.g. 'dense_3'. */
export function newLayerName(graph: ModelGraph, type: LayerType): string {
  return new NameSource(graph.nodes.map((n) => n.name)).take(BASE_NAMES[type])
}
