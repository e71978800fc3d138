// The layer catalog: one entry per layer type with its parameters, docs and arity.
// The editor builds its parameter forms from this, validation checks params against it,
// and toTfjs/fromTfjs map these (camelCase) param names to Keras' snake_case config keys.
import type { LayerType } from './types'

/** The kinds of values a parameter can hold. */
export type ParamKind = 'int' | 'float' | 'enum' | 'bool' | 'intList' | 'string'

/** A parameter value as stored in GraphNode.params. */
export type ParamValue = number | string | boolean | (number | null)[] | null

/** Palette grouping of layers. */
export type LayerCategory =
  | 'input'
  | 'core'
  | 'conv'
  | 'pooling'
  | 'recurrent'
  | 'normalization'
  | 'regularization'
  | 'merge'
  | 'reshape'
  | 'activation'
  | 'embedding'
  | 'preprocessing'

/** Describes one parameter of a layer. */
export interface ParamSpec {
  name: string
  kind: ParamKind
  default: ParamValue
  docs: string
  /** Lower bound (numbers, and each item of an intList). */
  min?: number
  /** Upper bound (numbers, and each item of an intList). */
  max?: number
  /** When true the bound itself is not allowed (e.g. dropout rate < 1). */
  minExclusive?: boolean
  maxExclusive?: boolean
  /** Allowed values of an enum. */
  options?: readonly string[]
  /** Allowed intList lengths. */
  minLength?: number
  maxLength?: number
  /** The whole value may be null (meaning "automatic", explained in docs). */
  nullable?: boolean
  /** intList items may be null (unknown dimension); only for Input shape. */
  nullItems?: boolean
  /** UI grouping: weights-related params are shown in a collapsible section. */
  group?: 'main' | 'weights'
}

/** Describes one layer type. */
export interface LayerSpec {
  type: LayerType
  category: LayerCategory
  docs: string
  params: ParamSpec[]
  /** Whether the layer owns weights (trainable or not). */
  hasWeights: boolean
  minInputs: number
  /** null = unbounded. */
  maxInputs: number | null
}

/** A validation problem with one parameter. */
export interface FieldError {
  field: string
  message: string
}

/** Activation names, spelled as tfjs-layers 4.22 registers them (all are supported there). */
export const ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softmax',
  'softplus',
  'softsign',
  'gelu',
  'swish',
  'mish',
] as const
/** One activation name. */
export type ActivationName = (typeof ACTIVATIONS)[number]

/** Weight initializers, spelled as tfjs identifiers. */
export const INITIALIZERS = [
  'glorotUniform',
  'glorotNormal',
  'heNormal',
  'heUniform',
  'leCunNormal',
  'leCunUniform',
  'zeros',
  'ones',
  'randomNormal',
  'randomUniform',
  'truncatedNormal',
  'orthogonal',
] as const
/** One initializer name. */
export type InitializerName = (typeof INITIALIZERS)[number]

/** Layer types whose input is wrapped by Bidirectional. */
export const RNN_TYPES = ['SimpleRNN', 'LSTM', 'GRU'] as const

const PADDING = ['valid', 'same'] as const

// --- small builders so the table below stays readable -------------------------------------

function int(name: string, def: number | null, docs: string, extra: Partial<ParamSpec> = {}): ParamSpec {
  return { name, kind: 'int', default: def, docs, ...extra }
}
function float(name: string, def: number, docs: string, extra: Partial<ParamSpec> = {}): ParamSpec {
  return { name, kind: 'float', default: def, docs, ...extra }
}
function bool(name: string, def: boolean, docs: string): ParamSpec {
  return { name, kind: 'bool', default: def, docs }
}
function enumOf(name: string, options: readonly string[], def: string, docs: string, group?: 'weights'): ParamSpec {
  return { name, kind: 'enum', options, default: def, docs, ...(group ? { group } : {}) }
}
function intList(name: string, def: (number | null)[] | null, docs: string, extra: Partial<ParamSpec> = {}): ParamSpec {
  return { name, kind: 'intList', default: def, docs, ...extra }
}
function activation(def: ActivationName, docs = 'Activation applied to the output.'): ParamSpec {
  return enumOf('activation', ACTIVATIONS, def, docs)
}
/** Initializer + L1/L2 regularizer params for one weight tensor ("kernel", "bias", "embeddings"). */
function weightParams(prefix: string, init: InitializerName, what: string): ParamSpec[] {
  return [
    enumOf(`${prefix}Initializer`, INITIALIZERS, init, `How the ${what} is initialized.`, 'weights'),
    float(`${prefix}L1`, 0, `L1 regularization factor on the ${what} (0 = off).`, { min: 0, group: 'weights' }),
    float(`${prefix}L2`, 0, `L2 regularization factor on the ${what} (0 = off).`, { min: 0, group: 'weights' }),
  ]
}
const kernelAndBias = (): ParamSpec[] => [
  ...weightParams('kernel', 'glorotUniform', 'kernel (weight matrix)'),
  ...weightParams('bias', 'zeros', 'bias vector'),
]
const useBias = (): ParamSpec => bool('useBias', true, 'Whether the layer adds a learned bias.')
const filters = (): ParamSpec => int('filters', 32, 'Number of output channels (filters).', { min: 1 })
const size2 = (name: string, def: number, docs: string, extra: Partial<ParamSpec> = {}): ParamSpec =>
  intList(name, [def, def], docs, { min: 1, minLength: 2, maxLength: 2, ...extra })
const padding = (): ParamSpec =>
  enumOf('padding', PADDING, 'valid', "'valid' = no padding (output shrinks); 'same' = pad so output size = ceil(input/stride).")

function rnnParams(): ParamSpec[] {
  return [
    int('units', 32, 'Size of the hidden state (output features).', { min: 1 }),
    activation('tanh', 'Activation of the cell output.'),
    enumOf('recurrentActivation', ACTIVATIONS, 'sigmoid', 'Activation of the gates (LSTM/GRU only).'),
    bool('returnSequences', false, 'Output the whole sequence [timesteps, units] instead of only the last step [units].'),
    float('dropout', 0, 'Dropout rate on the inputs.', { min: 0, max: 1, maxExclusive: true }),
    float('recurrentDropout', 0, 'Dropout rate on the recurrent state.', { min: 0, max: 1, maxExclusive: true }),
    useBias(),
    ...kernelAndBias(),
    enumOf('recurrentInitializer', INITIALIZERS, 'orthogonal', 'How the recurrent kernel is initialized.', 'weights'),
  ]
}

function poolParams2D(): ParamSpec[] {
  return [
    size2('poolSize', 2, 'Pooling window [height, width].'),
    intList('strides', null, 'Step [height, width]; empty = same as the pool size.', {
      min: 1,
      minLength: 2,
      maxLength: 2,
      nullable: true,
    }),
    padding(),
  ]
}
function poolParams1D(): ParamSpec[] {
  return [
    int('poolSize', 2, 'Pooling window length.', { min: 1 }),
    int('strides', null, 'Step; empty = same as the pool size.', { min: 1, nullable: true }),
    padding(),
  ]
}

function spec(
  type: LayerType,
  category: LayerCategory,
  docs: string,
  params: ParamSpec[],
  hasWeights = false,
  minInputs = 1,
  maxInputs: number | null = 1,
): LayerSpec {
  return { type, category, docs, params, hasWeights, minInputs, maxInputs }
}

// --- the catalog ------------------------------------------------------------------------------

/** All layer specs, keyed by type. */
export const CATALOG: Readonly<Record<LayerType, LayerSpec>> = {
  Input: spec(
    'Input',
    'input',
    'Model input: the shape of one sample (batch excluded), e.g. [28, 28, 1] for a grayscale image.',
    [
      intList('shape', [10], 'Per-sample shape; an empty cell means variable size (e.g. sequence length).', {
        min: 1,
        minLength: 1,
        maxLength: 4,
        nullItems: true,
      }),
      enumOf('dtype', ['float32', 'int32'], 'float32', "Data type; use 'int32' for token ids feeding an Embedding."),
    ],
    false,
    0,
    0,
  ),
  Dense: spec(
    'Dense',
    'core',
    'Fully connected layer: every output unit sees every input feature.',
    [int('units', 32, 'Number of output units.', { min: 1 }), activation('relu'), useBias(), ...kernelAndBias()],
    true,
  ),
  Conv1D: spec(
    'Conv1D',
    'conv',
    'Convolution over a sequence [steps, channels]; detects local patterns along time.',
    [
      filters(),
      int('kernelSize', 3, 'Window length.', { min: 1 }),
      int('strides', 1, 'Step between windows.', { min: 1 }),
      padding(),
      int('dilationRate', 1, 'Spacing between kernel taps (must be 1 when strides > 1).', { min: 1 }),
      activation('relu'),
      useBias(),
      ...kernelAndBias(),
    ],
    true,
  ),
  Conv2D: spec(
    'Conv2D',
    'conv',
    'Convolution over an image [height, width, channels]; detects local spatial patterns.',
    [
      filters(),
      size2('kernelSize', 3, 'Window [height, width].'),
      size2('strides', 1, 'Step [height, width].'),
      padding(),
      size2('dilationRate', 1, 'Spacing between kernel taps (must be 1 when strides > 1).'),
      activation('relu'),
      useBias(),
      ...kernelAndBias(),
    ],
    true,
  ),
  SeparableConv2D: spec(
    'SeparableConv2D',
    'conv',
    'Depthwise then pointwise convolution: far fewer weights than Conv2D for similar results.',
    [
      filters(),
      size2('kernelSize', 3, 'Window [height, width].'),
      size2('strides', 1, 'Step [height, width].'),
      padding(),
      size2('dilationRate', 1, 'Spacing between kernel taps (must be 1 when strides > 1).'),
      int('depthMultiplier', 1, 'Depthwise output channels per input channel.', { min: 1 }),
      activation('relu'),
      useBias(),
      // "kernel" initializes/regularizes both the depthwise and the pointwise kernels.
      ...kernelAndBias(),
    ],
    true,
  ),
  Conv2DTranspose: spec(
    'Conv2DTranspose',
    'conv',
    'Transposed ("de-") convolution: upsamples an image, e.g. in decoders.',
    [
      filters(),
      size2('kernelSize', 3, 'Window [height, width].'),
      size2('strides', 1, 'Step [height, width]; 2 doubles the size.'),
      padding(),
      activation('relu'),
      useBias(),
      ...kernelAndBias(),
    ],
    true,
  ),
  MaxPooling1D: spec('MaxPooling1D', 'pooling', 'Keeps the max of each window along a sequence.', poolParams1D()),
  MaxPooling2D: spec('MaxPooling2D', 'pooling', 'Keeps the max of each window of an image (downsamples).', poolParams2D()),
  AveragePooling1D: spec('AveragePooling1D', 'pooling', 'Averages each window along a sequence.', poolParams1D()),
  AveragePooling2D: spec('AveragePooling2D', 'pooling', 'Averages each window of an image (downsamples).', poolParams2D()),
  GlobalAveragePooling1D: spec('GlobalAveragePooling1D', 'pooling', 'Averages over all steps: [steps, c] → [c].', []),
  GlobalAveragePooling2D: spec('GlobalAveragePooling2D', 'pooling', 'Averages over the whole image: [h, w, c] → [c].', []),
  GlobalMaxPooling1D: spec('GlobalMaxPooling1D', 'pooling', 'Max over all steps: [steps, c] → [c].', []),
  GlobalMaxPooling2D: spec('GlobalMaxPooling2D', 'pooling', 'Max over the whole image: [h, w, c] → [c].', []),
  Flatten: spec('Flatten', 'reshape', 'Flattens each sample to a vector, e.g. before Dense layers.', []),
  Reshape: spec('Reshape', 'reshape', 'Changes the per-sample shape without changing the number of values.', [
    intList('targetShape', [-1], 'New per-sample shape; one entry may be -1 (computed from the rest).', {
      min: -1,
      minLength: 1,
      maxLength: 4,
    }),
  ]),
  Dropout: spec('Dropout', 'regularization', 'Randomly zeroes a fraction of the inputs during training.', [
    float('rate', 0.5, 'Fraction of inputs to drop (0 ≤ rate < 1).', { min: 0, max: 1, maxExclusive: true }),
  ]),
  BatchNormalization: spec(
    'BatchNormalization',
    'normalization',
    'Normalizes each channel over the batch; speeds up and stabilizes training.',
    [
      float('momentum', 0.99, 'Momentum of the moving mean/variance.', { min: 0, max: 1 }),
      float('epsilon', 0.001, 'Small constant added to the variance.', { min: 0, minExclusive: true }),
      bool('center', true, 'Learn an offset (beta).'),
      bool('scale', true, 'Learn a scale (gamma).'),
    ],
    true,
  ),
  LayerNormalization: spec(
    'LayerNormalization',
    'normalization',
    'Normalizes each sample over its last axis; common in sequence models.',
    [
      float('epsilon', 0.001, 'Small constant added to the variance.', { min: 0, minExclusive: true }),
      bool('center', true, 'Learn an offset (beta).'),
      bool('scale', true, 'Learn a scale (gamma).'),
    ],
    true,
  ),
  Activation: spec('Activation', 'activation', 'Applies an activation function element-wise.', [activation('relu', 'The function.')]),
  Embedding: spec(
    'Embedding',
    'embedding',
    'Turns integer token ids into dense vectors: [steps] → [steps, outputDim].',
    [
      int('inputDim', 10000, 'Vocabulary size: token ids must be < inputDim.', { min: 1 }),
      int('outputDim', 64, 'Size of each embedding vector.', { min: 1 }),
      bool('maskZero', false, 'Treat id 0 as padding to be ignored by later RNN layers.'),
      ...weightParams('embeddings', 'randomUniform', 'embedding matrix'),
    ],
    true,
  ),
  SimpleRNN: spec('SimpleRNN', 'recurrent', 'Basic recurrent layer over [timesteps, features].', rnnParams(), true),
  LSTM: spec('LSTM', 'recurrent', 'Long short-term memory: recurrent layer that keeps long-range context.', rnnParams(), true),
  GRU: spec('GRU', 'recurrent', 'Gated recurrent unit: a lighter LSTM.', rnnParams(), true),
  Bidirectional: spec(
    'Bidirectional',
    'recurrent',
    'Runs a recurrent layer forwards and backwards and merges both outputs.',
    [
      enumOf('layer', RNN_TYPES, 'LSTM', 'The wrapped recurrent layer.'),
      enumOf('mergeMode', ['concat', 'sum', 'mul', 'ave'], 'concat', 'How the two directions are combined.'),
      ...rnnParams(),
    ],
    true,
  ),
  Add: spec('Add', 'merge', 'Element-wise sum of ≥2 inputs of identical shape (e.g. residual connections).', [], false, 2, null),
  Concatenate: spec(
    'Concatenate',
    'merge',
    'Joins ≥2 inputs along one axis; all other dimensions must match.',
    [int('axis', -1, 'Axis to join along (-1 = last; 1 = first per-sample axis).', { min: -4, max: 4 })],
    false,
    2,
    null,
  ),
  Rescaling: spec('Rescaling', 'preprocessing', 'Computes x * scale + offset, e.g. 1/255 to map pixels to [0, 1].', [
    float('scale', 1 / 255, 'Multiplier.'),
    float('offset', 0, 'Added after scaling.'),
  ]),
}

/** The catalog entry of one type (undefined for unknown types coming from untrusted data). */
export function getLayerSpec(type: string): LayerSpec | undefined {
  return Object.prototype.hasOwnProperty.call(CATALOG, type) ? CATALOG[type as LayerType] : undefined
}

/** Fresh default params of a layer type (arrays are copied so callers may mutate them). */
export function defaultParams(type: LayerType): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {}
  for (const p of CATALOG[type].params) out[p.name] = Array.isArray(p.default) ? [...p.default] : p.default
  return out
}

/** Params with missing entries filled from defaults (does not validate). */
export function withDefaults(type: LayerType, params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const p of CATALOG[type].params) out[p.name] = p.name in params ? params[p.name] : p.default
  return out
}

function checkNumber(spec: ParamSpec, v: number, label: string): string | null {
  if (!Number.isFinite(v)) return `${label} must be a finite number`
  if (spec.kind === 'int' || spec.kind === 'intList') {
    if (!Number.isInteger(v)) return `${label} must be a whole number`
  }
  if (spec.min !== undefined && (spec.minExclusive ? v <= spec.min : v < spec.min)) {
    return `${label} must be ${spec.minExclusive ? '>' : '≥'} ${spec.min} (got ${v})`
  }
  if (spec.max !== undefined && (spec.maxExclusive ? v >= spec.max : v > spec.max)) {
    return `${label} must be ${spec.maxExclusive ? '<' : '≤'} ${spec.max} (got ${v})`
  }
  return null
}

/** Checks one value against its spec; returns an error message or null. */
export function checkParamValue(spec: ParamSpec, value: unknown): string | null {
  if (value === null) return spec.nullable ? null : `${spec.name} is required`
  switch (spec.kind) {
    case 'int':
    case 'float':
      return typeof value === 'number' ? checkNumber(spec, value, spec.name) : `${spec.name} must be a number`
    case 'bool':
      return typeof value === 'boolean' ? null : `${spec.name} must be true or false`
    case 'string':
      return typeof value === 'string' ? null : `${spec.name} must be text`
    case 'enum':
      return typeof value === 'string' && (spec.options ?? []).includes(value)
        ? null
        : `${spec.name} must be one of ${(spec.options ?? []).join(', ')} (got ${String(value)})`
    case 'intList': {
      if (!Array.isArray(value)) return `${spec.name} must be a list of whole numbers`
      if (spec.minLength !== undefined && value.length < spec.minLength) {
        return `${spec.name} needs at least ${spec.minLength} value${spec.minLength === 1 ? '' : 's'}`
      }
      if (spec.maxLength !== undefined && value.length > spec.maxLength) {
        return `${spec.name} takes at most ${spec.maxLength} values`
      }
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i]
        if (item === null && spec.nullItems) continue
        if (typeof item !== 'number') return `${spec.name}[${i}] must be a number`
        const msg = checkNumber(spec, item, `${spec.name}[${i}]`)
        if (msg) return msg
      }
      return null
    }
  }
}

/** Cross-field and layer-specific checks that a single ParamSpec can't express. */
function extraChecks(type: LayerType, p: Record<string, unknown>, errors: FieldError[]): void {
  if (type === 'Reshape' && Array.isArray(p.targetShape)) {
    const dims = p.targetShape as unknown[]
    if (dims.filter((d) => d === -1).length > 1) errors.push({ field: 'targetShape', message: 'targetShape may contain -1 only once' })
    if (dims.some((d) => d === 0)) errors.push({ field: 'targetShape', message: 'targetShape entries must be ≥ 1 (or -1)' })
  }
  if (type === 'Concatenate' && p.axis === 0) {
    errors.push({ field: 'axis', message: 'axis 0 is the batch axis; use 1 or more, or -1 for the last axis' })
  }
  if (type === 'Conv1D' || type === 'Conv2D' || type === 'SeparableConv2D') {
    const s = p.strides
    const d = p.dilationRate
    const anyAbove1 = (v: unknown): boolean =>
      typeof v === 'number' ? v > 1 : Array.isArray(v) && v.some((x) => typeof x === 'number' && x > 1)
    if (anyAbove1(s) && anyAbove1(d)) {
      errors.push({ field: 'dilationRate', message: 'dilationRate must be 1 when strides > 1 (tfjs can not combine them)' })
    }
  }
}

/** Validates a layer's params: per-field errors, empty when all is well. Missing params use defaults. */
export function validateParams(type: LayerType, params: Record<string, unknown>): FieldError[] {
  const layer = getLayerSpec(type)
  if (!layer) return [{ field: '', message: `Unknown layer type '${String(type)}'` }]
  const errors: FieldError[] = []
  const known = new Set<string>()
  for (const s of layer.params) {
    known.add(s.name)
    if (!(s.name in params)) continue
    const msg = checkParamValue(s, params[s.name])
    if (msg) errors.push({ field: s.name, message: msg })
  }
  for (const key of Object.keys(params)) {
    if (!known.has(key)) errors.push({ field: key, message: `${type} has no parameter '${key}'` })
  }
  if (errors.length === 0) extraChecks(type, withDefaults(type, params), errors)
  return errors
}
