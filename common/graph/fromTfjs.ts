// Import: Keras / tfjs-layers topology JSON (functional Model or Sequential) → ModelGraph.
// Accepts what tfjs `model.toJSON()` returns, a model.json file ({modelTopology, ...}) and the
// Keras converter's wrapper ({model_config, keras_version, ...}).
import { RNN_TYPES, validateParams, withDefaults } from './catalog'
import { BASE_NAMES, NameSource } from './ids'
import { CLASS_TO_TYPE, KerasFormatError, kerasConfigToParams, type Json, type JsonObject, type ReadContext } from './kerasFormat'
import { computeLayout } from './layout'
import type { GraphEdge, GraphNode, LayerType, ModelGraph, Shape } from './types'
import { inferGraph } from './infer'
import { LAYER_NAME_PATTERN } from './validate'

/** The imported graph plus notes about settings that could not be carried over. */
export interface ImportResult {
  graph: ModelGraph
  warnings: string[]
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Unwraps model.json / converter wrappers down to {class_name, config}; also returns weight shapes by name. */
function unwrap(json: unknown): { top: JsonObject; weightShapes: Map<string, number[]> } {
  let cur: unknown = typeof json === 'string' ? (JSON.parse(json) as unknown) : json
  const weightShapes = new Map<string, number[]>()
  for (let i = 0; i < 3 && isObject(cur); i++) {
    collectWeightShapes(cur, weightShapes)
    if (isObject(cur.modelTopology)) cur = cur.modelTopology
    else if (isObject(cur.model_config)) cur = cur.model_config
    else break
  }
  if (!isObject(cur) || typeof cur.class_name !== 'string') {
    throw new KerasFormatError('Not a Keras/tfjs model topology: expected an object with class_name "Model" or "Sequential"')
  }
  return { top: cur, weightShapes }
}

/** Weight shapes from a model.json weightsManifest or save-artifacts weightSpecs. */
function collectWeightShapes(obj: JsonObject, out: Map<string, number[]>): void {
  const specs: Json[] = []
  if (Array.isArray(obj.weightSpecs)) specs.push(...obj.weightSpecs)
  if (Array.isArray(obj.weightsManifest)) {
    for (const group of obj.weightsManifest) if (isObject(group) && Array.isArray(group.weights)) specs.push(...group.weights)
  }
  for (const w of specs) {
    if (isObject(w) && typeof w.name === 'string' && Array.isArray(w.shape)) out.set(w.name, w.shape as number[])
  }
}

/** A layer as read from JSON, before conversion. */
interface RawLayer {
  className: string
  name: string
  config: JsonObject
  /** Names of the layers feeding it, in order. */
  inputs: string[]
}

/** Collects [layer, node, tensor] references from either inbound_nodes format (Keras 2 lists, Keras 3 dicts). */
function collectRefs(v: Json, where: string, out: string[]): void {
  if (Array.isArray(v)) {
    if (typeof v[0] === 'string') {
      const [name, nodeIndex = 0, tensorIndex = 0] = v as [string, number?, number?]
      if (nodeIndex !== 0) throw new KerasFormatError(`${where} reuses layer '${name}' (shared layers aren't supported)`)
      if (tensorIndex !== 0) throw new KerasFormatError(`${where} uses output #${tensorIndex} of '${name}' (multi-output layers aren't supported)`)
      out.push(name)
      return
    }
    for (const item of v) collectRefs(item, where, out)
    return
  }
  if (isObject(v)) {
    const cfg = v.config
    if (v.class_name === '__keras_tensor__' && isObject(cfg) && Array.isArray(cfg.keras_history)) {
      collectRefs(cfg.keras_history, where, out)
      return
    }
    if (Array.isArray(v.args)) collectRefs(v.args, where, out)
  }
}

function readFunctional(cfg: JsonObject): RawLayer[] {
  if (!Array.isArray(cfg.layers)) throw new KerasFormatError('Model config has no "layers" list')
  return cfg.layers.map((l, i) => {
    if (!isObject(l) || typeof l.class_name !== 'string') throw new KerasFormatError(`Layer #${i + 1} has no class_name`)
    const config = isObject(l.config) ? l.config : {}
    const name = typeof l.name === 'string' ? l.name : typeof config.name === 'string' ? config.name : `layer_${i + 1}`
    const inbound = Array.isArray(l.inbound_nodes) ? l.inbound_nodes : []
    if (inbound.length > 1) throw new KerasFormatError(`Layer '${name}' (${l.class_name}) is called ${inbound.length} times (shared layers aren't supported)`)
    const inputs: string[] = []
    if (inbound.length === 1) collectRefs(inbound[0] as Json, `Layer '${name}' (${l.class_name})`, inputs)
    return { className: l.class_name, name, config, inputs }
  })
}

function readSequential(cfg: JsonObject | Json[]): RawLayer[] {
  const list = Array.isArray(cfg) ? cfg : cfg.layers
  if (!Array.isArray(list) || list.length === 0) throw new KerasFormatError('Sequential config has no layers')
  const raw: RawLayer[] = []
  list.forEach((l, i) => {
    if (!isObject(l) || typeof l.class_name !== 'string') throw new KerasFormatError(`Layer #${i + 1} has no class_name`)
    const config = isObject(l.config) ? l.config : {}
    const name = typeof config.name === 'string' ? config.name : typeof l.name === 'string' ? l.name : `layer_${i + 1}`
    raw.push({ className: l.class_name, name, config, inputs: [] })
  })
  const first = raw[0] as RawLayer
  if (first.className !== 'InputLayer') {
    const shape = first.config.batch_input_shape ?? first.config.batch_shape
    if (!Array.isArray(shape)) {
      throw new KerasFormatError(`Sequential model has no input shape: its first layer '${first.name}' (${first.className}) has no batch_input_shape`)
    }
    const dtype = typeof first.config.dtype === 'string' ? first.config.dtype : 'float32'
    raw.unshift({ className: 'InputLayer', name: `${first.name}_input`, config: { batch_input_shape: shape, dtype }, inputs: [] })
  }
  for (let i = 1; i < raw.length; i++) (raw[i] as RawLayer).inputs = [(raw[i - 1] as RawLayer).name]
  return raw
}

const WARN_IF_SET = ['kernel_constraint', 'bias_constraint', 'recurrent_constraint', 'embeddings_constraint', 'activity_regularizer', 'recurrent_regularizer', 'depthwise_constraint', 'pointwise_constraint', 'beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint']

/** Converts one raw layer's config into our params (throws on unsupported settings). */
/** A normalization axis to confirm as "last axis" after shape inference. */
interface AxisCheck {
  layer: string
  axis: number
  where: string
}

function convertParams(type: LayerType, raw: RawLayer, ctx: ReadContext, weightShapes: Map<string, number[]>, axisChecks: AxisCheck[]): Record<string, unknown> {
  const c = raw.config
  for (const key of WARN_IF_SET) {
    if (c[key] !== undefined && c[key] !== null) ctx.warnings.push(`${ctx.where}: ${key} isn't supported; dropped`)
  }
  if (c.trainable === false) ctx.warnings.push(`${ctx.where}: trainable=false isn't supported; the layer will be trainable`)
  if (typeof c.data_format === 'string' && c.data_format !== 'channels_last' && c.data_format !== 'channelsLast') {
    throw new KerasFormatError(`${ctx.where} uses data_format '${c.data_format}'; only channels_last is supported`)
  }
  if (c.padding === 'causal') throw new KerasFormatError(`${ctx.where} uses padding 'causal', which tfjs 4.22 can't run`)
  if (typeof c.groups === 'number' && c.groups !== 1) throw new KerasFormatError(`${ctx.where} uses groups=${c.groups}; grouped convolutions aren't supported`)

  switch (type) {
    case 'Input': {
      const shape = c.batch_input_shape ?? c.batch_shape
      if (!Array.isArray(shape) || shape.length < 2) throw new KerasFormatError(`${ctx.where} has no usable batch_input_shape`)
      const dtype = typeof c.dtype === 'string' && c.dtype.startsWith('int') ? 'int32' : 'float32'
      return { shape: shape.slice(1) as Shape, dtype }
    }
    case 'SeparableConv2D': {
      const cfg: JsonObject = { ...c, kernel_initializer: c.depthwise_initializer ?? null, kernel_regularizer: c.depthwise_regularizer ?? null }
      if (cfg.depth_multiplier === undefined) {
        // tfjs 4.22's SeparableConv2D.getConfig drops depth_multiplier; recover it from the weights.
        const dw = weightShapes.get(`${raw.name}/depthwise_kernel`)
        if (dw && typeof dw[3] === 'number') cfg.depth_multiplier = dw[3]
        else ctx.warnings.push(`${ctx.where}: depth_multiplier not recorded (tfjs omits it when saving); assuming 1`)
      }
      if (JSON.stringify(c.depthwise_initializer) !== JSON.stringify(c.pointwise_initializer)) {
        ctx.warnings.push(`${ctx.where}: depthwise and pointwise initializers differ; using the depthwise one for both`)
      }
      return kerasConfigToParams(type, cfg, ctx)
    }
    case 'Bidirectional': {
      const inner = c.layer
      if (!isObject(inner) || typeof inner.class_name !== 'string' || !(RNN_TYPES as readonly string[]).includes(inner.class_name)) {
        const cls = isObject(inner) ? String(inner.class_name) : 'nothing'
        throw new KerasFormatError(`${ctx.where} wraps ${cls}; only SimpleRNN, LSTM and GRU can be wrapped`)
      }
      const mode = c.merge_mode === undefined ? 'concat' : c.merge_mode
      if (mode !== 'concat' && mode !== 'sum' && mode !== 'mul' && mode !== 'ave') {
        throw new KerasFormatError(`${ctx.where} uses merge_mode ${JSON.stringify(mode)}; supported: concat, sum, mul, ave`)
      }
      const innerCfg = isObject(inner.config) ? inner.config : {}
      checkRnn(inner.class_name, innerCfg, ctx)
      return { ...kerasConfigToParams('LSTM', innerCfg, ctx), layer: inner.class_name, mergeMode: mode }
    }
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      checkRnn(type, c, ctx)
      return kerasConfigToParams(type, c, ctx)
    case 'BatchNormalization':
    case 'LayerNormalization': {
      const axis = Array.isArray(c.axis) && c.axis.length === 1 ? c.axis[0] : c.axis
      if (axis !== undefined && axis !== -1) {
        // tfjs writes the resolved positive axis; checked against the input rank once shapes are known.
        if (typeof axis === 'number' && axis > 0) axisChecks.push({ layer: raw.name, axis, where: ctx.where })
        else ctx.warnings.push(`${ctx.where}: axis ${JSON.stringify(c.axis)} isn't supported; using the last axis`)
      }
      return kerasConfigToParams(type, c, ctx)
    }
    case 'MaxPooling1D':
    case 'MaxPooling2D':
    case 'AveragePooling1D':
    case 'AveragePooling2D': {
      const p = kerasConfigToParams(type, c, ctx)
      // tfjs writes the implicit "strides = pool size" out explicitly; keep it automatic.
      if (p.strides !== undefined && JSON.stringify(p.strides) === JSON.stringify(p.poolSize)) p.strides = null
      return p
    }
    default:
      return kerasConfigToParams(type, c, ctx)
  }
}

function checkRnn(cell: string, c: JsonObject, ctx: ReadContext): void {
  if (cell === 'GRU' && c.reset_after === true) {
    throw new KerasFormatError(`${ctx.where}: GRU with reset_after=true (the Keras 2+ default) isn't supported by tfjs 4.22; re-export it with reset_after=False`)
  }
  for (const key of ['return_state', 'stateful', 'go_backwards'] as const) {
    if (c[key] === true) throw new KerasFormatError(`${ctx.where} sets ${key}=true, which isn't supported`)
  }
}

/** Imports a Keras/tfjs topology as a ModelGraph with auto-laid-out positions. */
export function fromTfjs(json: unknown): ImportResult {
  const { top, weightShapes } = unwrap(json)
  const cls = top.class_name as string
  let raw: RawLayer[]
  if (cls === 'Sequential') raw = readSequential(isObject(top.config) || Array.isArray(top.config) ? top.config : {})
  else if (cls === 'Model' || cls === 'Functional') raw = readFunctional(isObject(top.config) ? top.config : {})
  else throw new KerasFormatError(`Unsupported model class '${cls}' (expected Model, Functional or Sequential)`)

  const warnings: string[] = []
  const axisChecks: AxisCheck[] = []
  const names = new NameSource([])
  const idByLayer = new Map<string, string>()
  const nodes: GraphNode[] = []
  raw.forEach((l, i) => {
    const where = `Layer '${l.name}' (${l.className})`
    const type = Object.prototype.hasOwnProperty.call(CLASS_TO_TYPE, l.className) ? CLASS_TO_TYPE[l.className] : undefined
    if (type === undefined) throw new KerasFormatError(`${where}: class ${l.className} isn't supported by Neural Workbench`)
    if (idByLayer.has(l.name)) throw new KerasFormatError(`${where}: the name '${l.name}' is used twice`)
    const params = withDefaults(type, convertParams(type, l, { where, warnings }, weightShapes, axisChecks))
    const errs = validateParams(type, params)
    if (errs.length > 0) throw new KerasFormatError(`${where}: ${errs.map((e) => e.message).join('; ')}`)
    let name = l.name
    if (!LAYER_NAME_PATTERN.test(name)) {
      name = name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z0-9]+/, '') || BASE_NAMES[type]
      warnings.push(`${where}: renamed to '${name}' (invalid characters)`)
    }
    const id = `n${i + 1}`
    idByLayer.set(l.name, id)
    nodes.push({ id, type, name: names.takeOrKeep(name), params, position: { x: 0, y: 0 } })
  })

  const edges: GraphEdge[] = []
  raw.forEach((l) => {
    const target = idByLayer.get(l.name) as string
    l.inputs.forEach((src, k) => {
      const source = idByLayer.get(src)
      if (source === undefined) throw new KerasFormatError(`Layer '${l.name}' (${l.className}) takes input from unknown layer '${src}'`)
      const edge: GraphEdge = { id: `e${edges.length + 1}`, source, target }
      if (l.inputs.length > 1) edge.targetIndex = k
      edges.push(edge)
    })
  })
  const graph: ModelGraph = { formatVersion: 1, nodes, edges }
  if (axisChecks.length > 0) {
    const info = inferGraph(graph).nodes
    for (const a of axisChecks) {
      const src = edges.find((e) => e.target === idByLayer.get(a.layer))?.source
      const shape = src === undefined ? null : (info[src]?.outputShape ?? null)
      // Keras axes count the batch dimension, so the last axis of a rank-r sample is r.
      if (shape === null || shape.length !== a.axis) warnings.push(`${a.where}: axis ${a.axis} isn't the last axis; using the last axis`)
    }
  }
  const pos = computeLayout(graph)
  for (const n of nodes) n.position = pos[n.id] ?? n.position
  return { graph, warnings }
}
