// Seeded generator of random *valid* model graphs for parity tests against tfjs-layers.
// It tracks shapes itself (independently of common/graph/infer.ts) to only emit layers that fit.
import { defaultParams, type ParamValue } from '../../common/graph/catalog'
import type { GraphEdge, GraphNode, LayerType, ModelGraph } from '../../common/graph/types'
import { seededRandom } from '../../common/datasets/prng'

/** A deterministic uniform generator in [0, 1) (the datasets module's mulberry32). */
export const mulberry32 = seededRandom

type Dims = number[]
interface T {
  id: string
  shape: Dims
}

class Gen {
  readonly nodes: GraphNode[] = []
  readonly edges: GraphEdge[] = []
  private readonly counts = new Map<string, number>()
  readonly rnd: () => number
  constructor(rnd: () => number) {
    this.rnd = rnd
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1))
  }
  pick<V>(xs: readonly V[]): V {
    return xs[Math.floor(this.rnd() * xs.length)] as V
  }
  chance(p: number): boolean {
    return this.rnd() < p
  }
  add(type: LayerType, params: Record<string, ParamValue>, inputs: T[], shape: Dims): T {
    const id = `n${this.nodes.length + 1}`
    const base = type.toLowerCase()
    const k = (this.counts.get(base) ?? 0) + 1
    this.counts.set(base, k)
    this.nodes.push({ id, type, name: `${base}_${k}`, params: { ...defaultParams(type), ...params }, position: { x: 0, y: 0 } })
    inputs.forEach((src, i) => {
      const e: GraphEdge = { id: `e${this.edges.length + 1}`, source: src.id, target: id }
      if (inputs.length > 1) e.targetIndex = i
      this.edges.push(e)
    })
    return { id, shape }
  }
}

const ACTS = ['relu', 'sigmoid', 'tanh', 'elu', 'selu', 'gelu', 'swish', 'linear', 'softplus'] as const
const out = (len: number, k: number, pad: string, s: number, d = 1): number =>
  Math.floor(((pad === 'same' ? len : len - (k + (k - 1) * (d - 1)) + 1) + s - 1) / s)

// ---- image mode -------------------------------------------------------------------------------

function conv2d(g: Gen, x: T, filters = g.int(2, 4), forceSame = false): T {
  const [h, w, c] = x.shape as [number, number, number]
  const k = g.int(1, Math.min(3, h, w))
  const pad = forceSame ? 'same' : g.pick(['valid', 'same'])
  const s = forceSame ? 1 : g.pick([1, 1, 2])
  const d = s === 1 && !forceSame && g.chance(0.2) && h > 4 && w > 4 ? 2 : 1
  const oh = out(h, k, pad, s, d)
  const ow = out(w, k, pad, s, d)
  if (oh < 1 || ow < 1) return x
  const sep = !forceSame && g.chance(0.25)
  const type: LayerType = sep ? 'SeparableConv2D' : 'Conv2D'
  const params: Record<string, ParamValue> = {
    filters,
    kernelSize: [k, k],
    strides: [s, s],
    padding: pad,
    dilationRate: [d, d],
    activation: g.pick(ACTS),
    useBias: g.chance(0.8),
  }
  if (sep) params.depthMultiplier = g.int(1, 2)
  void c
  return g.add(type, params, [x], [oh, ow, filters])
}

function imageOp(g: Gen, x: T): T {
  const [h, w, c] = x.shape as [number, number, number]
  switch (g.int(0, 8)) {
    case 0:
    case 1:
      return conv2d(g, x)
    case 2: {
      if (h < 2 || w < 2) return x
      const type = g.pick(['MaxPooling2D', 'AveragePooling2D'] as const)
      const pad = g.pick(['valid', 'same'])
      const strides = g.chance(0.5) ? null : [1, 1]
      const s = strides ? 1 : 2
      return g.add(type, { poolSize: [2, 2], strides, padding: pad }, [x], [out(h, 2, pad, s), out(w, 2, pad, s), c])
    }
    case 3:
      return g.add('BatchNormalization', { center: g.chance(0.7), scale: g.chance(0.7) }, [x], x.shape)
    case 4:
      return g.chance(0.5)
        ? g.add('Dropout', { rate: g.pick([0.1, 0.25, 0.5]) }, [x], x.shape)
        : g.add('LayerNormalization', { center: g.chance(0.7), scale: g.chance(0.7) }, [x], x.shape)
    case 5: {
      // residual: conv 'same' with as many filters as channels, added back
      const branch = conv2d(g, x, c, true)
      return g.add('Add', {}, g.chance(0.5) ? [x, branch] : [branch, x], x.shape)
    }
    case 6: {
      const a = conv2d(g, x, g.int(1, 3), true)
      const b = conv2d(g, x, g.int(1, 3), true)
      const axis = g.pick([-1, 3])
      return g.add('Concatenate', { axis }, [a, b], [h, w, (a.shape[2] as number) + (b.shape[2] as number)])
    }
    case 7: {
      if (h > 8 || w > 8) return x
      const s = g.pick([1, 2])
      const k = g.int(1, 3)
      const pad = g.pick(['valid', 'same'])
      const f = g.int(1, 3)
      const len = (n: number): number => (pad === 'valid' ? n * s + Math.max(k - s, 0) : n * s)
      return g.add('Conv2DTranspose', { filters: f, kernelSize: [k, k], strides: [s, s], padding: pad, activation: g.pick(ACTS) }, [x], [len(h), len(w), f])
    }
    default:
      return g.add('Activation', { activation: g.pick(ACTS) }, [x], x.shape)
  }
}

function imageGraph(g: Gen): T {
  const h = g.int(5, 10)
  const w = g.int(5, 10)
  const c = g.int(1, 3)
  let x: T
  if (g.chance(0.25)) {
    x = g.add('Input', { shape: [h * w * c] }, [], [h * w * c])
    x = g.add('Reshape', { targetShape: g.chance(0.5) ? [h, w, c] : [h, -1, c] }, [x], [h, w, c])
  } else {
    x = g.add('Input', { shape: [h, w, c] }, [], [h, w, c])
  }
  if (g.chance(0.3)) x = g.add('Rescaling', { scale: 1 / 255, offset: g.pick([0, -1]) }, [x], x.shape)
  const steps = g.int(2, 5)
  for (let i = 0; i < steps; i++) x = imageOp(g, x)
  const [hh, ww, cc] = x.shape as [number, number, number]
  if (g.chance(0.5)) return g.add('Flatten', {}, [x], [hh * ww * cc])
  return g.add(g.pick(['GlobalAveragePooling2D', 'GlobalMaxPooling2D'] as const), {}, [x], [cc])
}

// ---- sequence mode ----------------------------------------------------------------------------

function rnnParams(g: Gen, cell: string, returnSequences: boolean): Record<string, ParamValue> {
  const p: Record<string, ParamValue> = { units: g.int(2, 5), returnSequences, useBias: g.chance(0.8), activation: g.pick(['tanh', 'relu']) }
  // SimpleRNN has no gates, so a recurrentActivation there is not serialized by tfjs.
  if (cell !== 'SimpleRNN') p.recurrentActivation = g.pick(['sigmoid', 'hardSigmoid'])
  return p
}

function conv1d(g: Gen, x: T, filters = g.int(2, 4), forceSame = false): T {
  const [t] = x.shape as [number, number]
  const k = g.int(1, Math.min(5, t))
  const pad = forceSame ? 'same' : g.pick(['valid', 'same'])
  const s = forceSame ? 1 : g.pick([1, 2])
  const o = out(t, k, pad, s)
  if (o < 1) return x
  return g.add('Conv1D', { filters, kernelSize: k, strides: s, padding: pad, activation: g.pick(ACTS), useBias: g.chance(0.8) }, [x], [o, filters])
}

function sequenceOp(g: Gen, x: T): T {
  const [t, f] = x.shape as [number, number]
  switch (g.int(0, 6)) {
    case 0:
    case 1:
      return conv1d(g, x)
    case 2: {
      if (t < 2) return x
      const type = g.pick(['MaxPooling1D', 'AveragePooling1D'] as const)
      const pad = g.pick(['valid', 'same'])
      return g.add(type, { poolSize: 2, strides: null, padding: pad }, [x], [out(t, 2, pad, 2), f])
    }
    case 3: {
      const type = g.pick(['SimpleRNN', 'LSTM', 'GRU'] as const)
      const p = rnnParams(g, type, true)
      return g.add(type, p, [x], [t, p.units as number])
    }
    case 4:
      return g.add(g.chance(0.5) ? 'BatchNormalization' : 'Dropout', {}, [x], x.shape)
    case 5: {
      const branch = conv1d(g, x, f, true)
      return g.add('Add', {}, [x, branch], x.shape)
    }
    default: {
      const a = conv1d(g, x, g.int(1, 3), true)
      const b = conv1d(g, x, g.int(1, 3), true)
      return g.add('Concatenate', { axis: -1 }, [a, b], [t, (a.shape[1] as number) + (b.shape[1] as number)])
    }
  }
}

function sequenceGraph(g: Gen): T {
  const t = g.int(6, 14)
  let x: T
  if (g.chance(0.5)) {
    x = g.add('Input', { shape: [t], dtype: 'int32' }, [], [t])
    const d = g.int(2, 6)
    x = g.add('Embedding', { inputDim: g.int(10, 40), outputDim: d }, [x], [t, d])
  } else {
    const f = g.int(1, 4)
    x = g.add('Input', { shape: [t, f] }, [], [t, f])
  }
  const steps = g.int(1, 4)
  for (let i = 0; i < steps; i++) x = sequenceOp(g, x)
  const [tt, ff] = x.shape as [number, number]
  switch (g.int(0, 3)) {
    case 0: {
      const type = g.pick(['SimpleRNN', 'LSTM', 'GRU'] as const)
      const p = rnnParams(g, type, false)
      return g.add(type, p, [x], [p.units as number])
    }
    case 1: {
      const layer = g.pick(['SimpleRNN', 'LSTM', 'GRU'] as const)
      const p = rnnParams(g, layer, false)
      const mergeMode = g.pick(['concat', 'sum', 'mul', 'ave'] as const)
      const u = p.units as number
      return g.add('Bidirectional', { ...p, layer, mergeMode }, [x], [mergeMode === 'concat' ? 2 * u : u])
    }
    case 2:
      return g.add(g.pick(['GlobalAveragePooling1D', 'GlobalMaxPooling1D'] as const), {}, [x], [ff])
    default:
      return g.add('Flatten', {}, [x], [tt * ff])
  }
}

// ---- tabular mode -----------------------------------------------------------------------------

function tabularGraph(g: Gen): T {
  const f = g.int(2, 20)
  let x = g.add('Input', { shape: [f] }, [], [f])
  const steps = g.int(1, 5)
  for (let i = 0; i < steps; i++) {
    const [n] = x.shape as [number]
    switch (g.int(0, 4)) {
      case 0:
      case 1: {
        const u = g.int(1, 16)
        x = g.add('Dense', { units: u, activation: g.pick(ACTS), useBias: g.chance(0.8) }, [x], [u])
        break
      }
      case 2:
        x = g.add(g.pick(['Dropout', 'BatchNormalization', 'LayerNormalization'] as const), {}, [x], x.shape)
        break
      case 3: {
        const a = g.add('Dense', { units: n }, [x], [n])
        x = g.add('Add', {}, [x, a], [n])
        break
      }
      default: {
        const ua = g.int(1, 8)
        const ub = g.int(1, 8)
        const a = g.add('Dense', { units: ua }, [x], [ua])
        const b = g.add('Dense', { units: ub }, [x], [ub])
        x = g.add('Concatenate', { axis: g.pick([-1, 1]) }, [a, b], [ua + ub])
      }
    }
  }
  return x
}

/** A random valid graph; the same seed always gives the same graph. */
export function randomGraph(seed: number): ModelGraph {
  const g = new Gen(mulberry32(seed))
  const mode = g.pick(['image', 'sequence', 'tabular'] as const)
  let x = mode === 'image' ? imageGraph(g) : mode === 'sequence' ? sequenceGraph(g) : tabularGraph(g)
  if (g.chance(0.5)) {
    const u = g.int(2, 12)
    x = g.add('Dense', { units: u, activation: 'relu' }, [x], [u])
    if (g.chance(0.5)) x = g.add('Dropout', { rate: 0.3 }, [x], x.shape)
  }
  const classes = g.int(1, 5)
  g.add('Dense', { units: classes, activation: classes === 1 ? 'sigmoid' : 'softmax' }, [x], [classes])
  return { formatVersion: 1, nodes: g.nodes, edges: g.edges }
}
