// Export: ModelGraph → Keras functional-model topology JSON for `tf.models.modelFromJSON`.
import { CATALOG, withDefaults } from './catalog'
import { inferGraph } from './infer'
import { hasErrors } from './issues'
import {
  classNameOf,
  paramsToKerasConfig,
  type Json,
  type JsonObject,
  type KerasLayerJson,
  type KerasModelJson,
  type KerasTensorRef,
} from './kerasFormat'
import type { GraphEdge, GraphNode, ModelGraph, Shape } from './types'
import { indexGraph, outputNodes, topoSort } from './validate'

/** Export options. */
export interface ToTfjsOptions {
  /** Model name written to the topology (default 'model'). */
  name?: string
}

/** Thrown when the graph has validation errors; `issues` lists them. */
export class GraphExportError extends Error {
  readonly issues: { code: string; message: string; nodeId?: string }[]
  constructor(issues: { code: string; message: string; nodeId?: string }[]) {
    super(`The model can't be exported: ${issues.map((i) => `${i.code} ${i.message}`).join('; ')}`)
    this.name = 'GraphExportError'
    this.issues = issues
  }
}

/** RNN params that belong to the wrapped layer of a Bidirectional. */
const RNN_SPECS = CATALOG.LSTM.params

function layerConfig(node: GraphNode, outputShape: Shape | null): JsonObject {
  const p = withDefaults(node.type, node.params)
  const base: JsonObject = { name: node.name, trainable: true }
  switch (node.type) {
    case 'Input':
      return {
        batch_input_shape: [null, ...(p.shape as Shape)],
        dtype: p.dtype as string,
        sparse: false,
        name: node.name,
      }
    case 'SeparableConv2D': {
      // Our single "kernel" initializer/regularizer drives both depthwise and pointwise kernels.
      const cfg = paramsToKerasConfig(node.type, p)
      const { kernel_initializer: init = null, kernel_regularizer: reg = null, ...rest } = cfg
      return { ...base, ...rest, depthwise_initializer: init, pointwise_initializer: init, depthwise_regularizer: reg, pointwise_regularizer: reg }
    }
    case 'Bidirectional': {
      const cell = p.layer as string
      const inner = rnnConfig(cell, p, `${node.name}_${cell.toLowerCase()}`)
      return { ...base, merge_mode: p.mergeMode as string, layer: { class_name: cell, config: inner } }
    }
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return rnnConfig(node.type, p, node.name)
    case 'BatchNormalization':
    case 'LayerNormalization':
      return { ...base, axis: -1, ...paramsToKerasConfig(node.type, p) }
    case 'Embedding':
      return { ...base, input_length: null, ...paramsToKerasConfig(node.type, p) }
    case 'Reshape':
      // tfjs 4.22 leaves a -1 target dim unknown in symbolic shapes (it counts the batch dim as
      // "unknown input"), which breaks a later Flatten/Dense; write the resolved shape instead.
      return { ...base, target_shape: outputShape ? [...outputShape] : (p.targetShape as number[]) }
    case 'Dropout':
      return { ...base, noise_shape: null, seed: null, ...paramsToKerasConfig(node.type, p) }
    default:
      return { ...base, ...paramsToKerasConfig(node.type, p) }
  }
}

/** Config of a recurrent layer (also used for the layer wrapped by Bidirectional). */
function rnnConfig(cell: string, p: Record<string, unknown>, name: string): JsonObject {
  const cfg: JsonObject = { name, trainable: true, ...paramsToKerasConfig('LSTM', p, RNN_SPECS) }
  if (cell === 'SimpleRNN') delete cfg.recurrent_activation // SimpleRNN has no gates
  if (cell === 'LSTM') cfg.unit_forget_bias = true
  if (cell === 'GRU') cfg.reset_after = false // tfjs 4.22 GRU can't do reset_after=true
  cfg.return_state = false
  cfg.go_backwards = false
  cfg.stateful = false
  cfg.unroll = false
  return cfg
}

/** Converts a valid graph to a Keras functional topology; throws GraphExportError if it has errors. */
export function toTfjs(graph: ModelGraph, opts: ToTfjsOptions = {}): KerasModelJson {
  const index = indexGraph(graph)
  const result = inferGraph(graph, {}, index)
  if (hasErrors(result.issues)) {
    throw new GraphExportError(result.issues.filter((i) => i.severity === 'error').map((i) => ({ code: i.code, message: i.message, ...(i.nodeId ? { nodeId: i.nodeId } : {}) })))
  }
  const { order } = topoSort(graph, index)
  const nameOf = (id: string): string => (index.byId.get(id) as GraphNode).name
  const layers: KerasLayerJson[] = order.map((node) => {
    const inputs = index.incoming.get(node.id) as GraphEdge[]
    const refs: KerasTensorRef[] = inputs.map((e) => [nameOf(e.source), 0, 0, {}])
    return {
      class_name: classNameOf(node.type),
      name: node.name,
      config: layerConfig(node, result.nodes[node.id]?.outputShape ?? null),
      inbound_nodes: refs.length > 0 ? [refs] : [],
    }
  })
  const ref = (n: GraphNode): [string, number, number] => [n.name, 0, 0]
  return {
    class_name: 'Model',
    config: {
      name: opts.name ?? 'model',
      layers,
      input_layers: graph.nodes.filter((n) => n.type === 'Input').map(ref),
      output_layers: outputNodes(graph, index).map(ref),
    },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  }
}

/** The topology as a plain JSON value (e.g. for `modelFromJSON({modelTopology})`). */
export function toTfjsJson(graph: ModelGraph, opts: ToTfjsOptions = {}): Json {
  return toTfjs(graph, opts) as unknown as Json
}
