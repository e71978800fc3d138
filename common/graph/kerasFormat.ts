// The Keras / tfjs-layers topology JSON format (as written by tfjs `model.toJSON()` and the
// Keras converter) and the per-layer mapping between our camelCase params and Keras configs.
import { ACTIVATIONS, CATALOG, INITIALIZERS, type ActivationName, type InitializerName, type ParamSpec } from './catalog'
import type { LayerType } from './types'

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
/** A JSON object. */
export type JsonObject = { [key: string]: Json }

/** Reference to a layer output in Keras JSON: [layerName, nodeIndex, tensorIndex(, kwargs)]. */
export type KerasTensorRef = [string, number, number, JsonObject]

/** One layer of a functional-model topology. */
export interface KerasLayerJson {
  class_name: string
  name: string
  config: JsonObject
  /** One entry per call of the layer; each lists the tensors fed to that call. */
  inbound_nodes: KerasTensorRef[][]
}

/** A functional-model topology, accepted by `tf.models.modelFromJSON`. */
export interface KerasModelJson {
  class_name: 'Model'
  config: {
    name: string
    layers: KerasLayerJson[]
    input_layers: [string, number, number][]
    output_layers: [string, number, number][]
  }
  keras_version: string
  backend: string
}

/** Thrown when a topology can't be converted; the message names the layer and class. */
export class KerasFormatError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KerasFormatError'
  }
}

/** Our layer type for each Keras class name (aliases included). */
export const CLASS_TO_TYPE: Readonly<Record<string, LayerType>> = {
  InputLayer: 'Input',
  Dense: 'Dense',
  Conv1D: 'Conv1D',
  Convolution1D: 'Conv1D',
  Conv2D: 'Conv2D',
  Convolution2D: 'Conv2D',
  SeparableConv2D: 'SeparableConv2D',
  SeparableConvolution2D: 'SeparableConv2D',
  Conv2DTranspose: 'Conv2DTranspose',
  Convolution2DTranspose: 'Conv2DTranspose',
  MaxPooling1D: 'MaxPooling1D',
  MaxPool1D: 'MaxPooling1D',
  MaxPooling2D: 'MaxPooling2D',
  MaxPool2D: 'MaxPooling2D',
  AveragePooling1D: 'AveragePooling1D',
  AvgPool1D: 'AveragePooling1D',
  AveragePooling2D: 'AveragePooling2D',
  AvgPool2D: 'AveragePooling2D',
  GlobalAveragePooling1D: 'GlobalAveragePooling1D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D',
  GlobalAveragePooling2D: 'GlobalAveragePooling2D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D',
  GlobalMaxPooling1D: 'GlobalMaxPooling1D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D',
  GlobalMaxPooling2D: 'GlobalMaxPooling2D',
  GlobalMaxPool2D: 'GlobalMaxPooling2D',
  Flatten: 'Flatten',
  Reshape: 'Reshape',
  Dropout: 'Dropout',
  BatchNormalization: 'BatchNormalization',
  LayerNormalization: 'LayerNormalization',
  Activation: 'Activation',
  Embedding: 'Embedding',
  SimpleRNN: 'SimpleRNN',
  LSTM: 'LSTM',
  GRU: 'GRU',
  Bidirectional: 'Bidirectional',
  Add: 'Add',
  Concatenate: 'Concatenate',
  Rescaling: 'Rescaling',
}

/** Keras class name we write for each layer type. */
export function classNameOf(type: LayerType): string {
  return type === 'Input' ? 'InputLayer' : type
}

/** 'kernelSize' → 'kernel_size'. */
export function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
}

/** 'hard_sigmoid' → 'hardSigmoid'. */
function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())
}

// --- activations -------------------------------------------------------------------------------

/** Activation as Keras writes it ('hardSigmoid' → 'hard_sigmoid'). */
export function activationToKeras(a: string): string {
  return snake(a)
}

/** Activation from Keras/tfjs JSON; undefined when unsupported. */
export function activationFromKeras(v: Json | undefined): ActivationName | undefined {
  if (v === undefined || v === null) return 'linear'
  const raw = typeof v === 'string' ? v : typeof v === 'object' && !Array.isArray(v) && typeof v.class_name === 'string' ? v.class_name : undefined
  if (raw === undefined) return undefined
  const c = camel(raw)
  const name = c === 'silu' ? 'swish' : c === 'geluNew' ? undefined : c
  return (ACTIVATIONS as readonly string[]).includes(name ?? '') ? (name as ActivationName) : undefined
}

// --- initializers ------------------------------------------------------------------------------

const INIT_CLASS: Readonly<Record<InitializerName, [string, JsonObject]>> = {
  glorotUniform: ['GlorotUniform', { seed: null }],
  glorotNormal: ['GlorotNormal', { seed: null }],
  heNormal: ['HeNormal', { seed: null }],
  heUniform: ['HeUniform', { seed: null }],
  leCunNormal: ['LeCunNormal', { seed: null }],
  leCunUniform: ['LeCunUniform', { seed: null }],
  zeros: ['Zeros', {}],
  ones: ['Ones', {}],
  randomNormal: ['RandomNormal', { mean: 0, stddev: 0.05, seed: null }],
  randomUniform: ['RandomUniform', { minval: -0.05, maxval: 0.05, seed: null }],
  truncatedNormal: ['TruncatedNormal', { mean: 0, stddev: 0.05, seed: null }],
  orthogonal: ['Orthogonal', { gain: 1, seed: null }],
}

/** Initializer as a Keras {class_name, config} object (class names tfjs registers). */
export function initializerToKeras(name: string): JsonObject {
  const [cls, cfg] = INIT_CLASS[name as InitializerName] ?? INIT_CLASS.glorotUniform
  return { class_name: cls, config: { ...cfg } }
}

const INIT_BY_LOWER = new Map<string, InitializerName>(INITIALIZERS.map((n) => [n.toLowerCase(), n]))

/** Initializer from Keras JSON; undefined when it isn't one we model (caller falls back + warns). */
export function initializerFromKeras(v: Json | undefined): InitializerName | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v === 'string') return INIT_BY_LOWER.get(v.replace(/_/g, '').toLowerCase())
  if (typeof v !== 'object' || Array.isArray(v) || typeof v.class_name !== 'string') return undefined
  const cls = v.class_name.replace(/_/g, '').toLowerCase()
  if (cls !== 'variancescaling') return INIT_BY_LOWER.get(cls)
  // tfjs writes Glorot/He/LeCun as VarianceScaling; map the standard settings back.
  const cfg = (typeof v.config === 'object' && v.config !== null && !Array.isArray(v.config) ? v.config : {}) as JsonObject
  const scale = typeof cfg.scale === 'number' ? cfg.scale : 1
  const mode = typeof cfg.mode === 'string' ? camel(cfg.mode) : 'fanIn'
  const uniform = cfg.distribution === 'uniform'
  if (scale === 1 && mode === 'fanAvg') return uniform ? 'glorotUniform' : 'glorotNormal'
  if (scale === 2 && mode === 'fanIn') return uniform ? 'heUniform' : 'heNormal'
  if (scale === 1 && mode === 'fanIn') return uniform ? 'leCunUniform' : 'leCunNormal'
  return undefined
}

// --- regularizers ------------------------------------------------------------------------------

/** L1/L2 factors as a Keras regularizer (null when both are 0). */
export function regularizerToKeras(l1: number, l2: number): JsonObject | null {
  return l1 === 0 && l2 === 0 ? null : { class_name: 'L1L2', config: { l1, l2 } }
}

/** L1/L2 factors from a Keras regularizer; undefined when unsupported. */
export function regularizerFromKeras(v: Json | undefined): { l1: number; l2: number } | undefined {
  if (v === undefined || v === null) return { l1: 0, l2: 0 }
  if (typeof v !== 'object' || Array.isArray(v) || typeof v.class_name !== 'string') return undefined
  const cls = v.class_name.replace(/_/g, '').toLowerCase()
  if (cls !== 'l1l2' && cls !== 'l1' && cls !== 'l2') return undefined
  const cfg = (typeof v.config === 'object' && v.config !== null && !Array.isArray(v.config) ? v.config : {}) as JsonObject
  return { l1: typeof cfg.l1 === 'number' ? cfg.l1 : 0, l2: typeof cfg.l2 === 'number' ? cfg.l2 : 0 }
}

// --- param <-> config --------------------------------------------------------------------------

/** Weight-tensor prefixes that have Initializer/L1/L2 params. */
const WEIGHT_PREFIXES = ['kernel', 'bias', 'embeddings'] as const

/** Spec params of a layer type that map 1:1 to a snake_case key. */
function isPlain(spec: ParamSpec): boolean {
  return !spec.name.endsWith('Initializer') && !/(L1|L2)$/.test(spec.name) && spec.name !== 'activation' && spec.name !== 'recurrentActivation'
}

/** Layer types whose 1-D window params Keras writes as one-element lists. */
const ONE_D = new Set<LayerType>(['Conv1D', 'MaxPooling1D', 'AveragePooling1D'])
/** Window params that Keras writes as tuples. */
const WINDOW_PARAMS = new Set(['kernelSize', 'strides', 'dilationRate', 'poolSize'])
const CHANNELS_LAST = new Set<LayerType>([
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
])

/** Keras config of one layer (without name/trainable) from resolved params. */
export function paramsToKerasConfig(type: LayerType, p: Record<string, unknown>, specs: readonly ParamSpec[] = CATALOG[type].params): JsonObject {
  const cfg: JsonObject = {}
  for (const s of specs) {
    const v = p[s.name]
    if (s.name === 'activation' || s.name === 'recurrentActivation') cfg[snake(s.name)] = activationToKeras(v as string)
    else if (s.name.endsWith('Initializer')) cfg[snake(s.name)] = initializerToKeras(v as string)
    else if (isPlain(s)) {
      const val = (Array.isArray(v) ? [...(v as (number | null)[])] : v) as Json
      cfg[snake(s.name)] = ONE_D.has(type) && WINDOW_PARAMS.has(s.name) && typeof val === 'number' ? [val] : val
    }
  }
  for (const prefix of WEIGHT_PREFIXES) {
    if (specs.some((s) => s.name === `${prefix}L1`)) {
      cfg[`${prefix}_regularizer`] = regularizerToKeras(p[`${prefix}L1`] as number, p[`${prefix}L2`] as number)
    }
  }
  if (CHANNELS_LAST.has(type)) cfg.data_format = 'channels_last'
  return cfg
}

/** Collects problems while reading one layer's config. */
export interface ReadContext {
  /** Layer name and class, for messages. */
  where: string
  warnings: string[]
}

function readNumberOrList(v: Json | undefined, spec: ParamSpec): Json | undefined {
  if (v === undefined) return undefined
  if (spec.kind === 'intList' && typeof v === 'number' && spec.minLength === 2) return [v, v]
  if ((spec.kind === 'int' || spec.kind === 'float') && Array.isArray(v) && v.length === 1) return v[0]
  return v
}

/** Our params for one layer from its Keras config; throws KerasFormatError on unsupported values. */
export function kerasConfigToParams(type: LayerType, cfg: JsonObject, ctx: ReadContext, specs: readonly ParamSpec[] = CATALOG[type].params): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const s of specs) {
    const key = snake(s.name)
    if (s.name === 'activation' || s.name === 'recurrentActivation') {
      // Missing → Keras' default, not ours: 'linear' for activation (our UI default is relu).
      if (!(key in cfg)) {
        if (s.name === 'activation' && s.default === 'relu') out.activation = 'linear'
        continue
      }
      const a = activationFromKeras(cfg[key])
      if (a === undefined) throw new KerasFormatError(`${ctx.where} uses activation ${JSON.stringify(cfg[key])}, which isn't supported (supported: ${ACTIVATIONS.join(', ')})`)
      out[s.name] = a
    } else if (s.name.endsWith('Initializer')) {
      if (!(key in cfg) || cfg[key] === null) continue
      const init = initializerFromKeras(cfg[key])
      if (init === undefined) ctx.warnings.push(`${ctx.where}: initializer ${JSON.stringify(cfg[key])} isn't supported; using ${String(s.default)}`)
      else out[s.name] = init
    } else if (isPlain(s)) {
      const v = readNumberOrList(cfg[key], s)
      if (v !== undefined && !(v === null && !s.nullable)) out[s.name] = v
    }
  }
  for (const prefix of WEIGHT_PREFIXES) {
    if (!specs.some((s) => s.name === `${prefix}L1`)) continue
    const key = `${prefix}_regularizer`
    const r = regularizerFromKeras(cfg[key])
    if (r === undefined) {
      ctx.warnings.push(`${ctx.where}: regularizer ${JSON.stringify(cfg[key])} isn't supported; dropped`)
      continue
    }
    out[`${prefix}L1`] = r.l1
    out[`${prefix}L2`] = r.l2
  }
  return out
}
