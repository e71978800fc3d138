// ModelGraph + trained weights → an ONNX model (opset 13). Tensors keep tfjs' channels-last
// layout between layers (Transposes around Conv and Pool, which ONNX defines channels-first),
// so an ONNX consumer feeds exactly the arrays the TF.js model takes.
import { AppError } from '../../../common/errors'
import { withDefaults } from '../../../common/graph/catalog'
import { inferGraph } from '../../../common/graph/infer'
import { hasErrors } from '../../../common/graph/issues'
import type { GraphNode, ModelGraph, Shape } from '../../../common/graph/types'
import { indexGraph, outputNodes, topoSort } from '../../../common/graph/validate'
import { applyActivation } from './activations'
import { OnnxBuilder, type ElemType, type ValueSpec, type WeightTensor } from './builder'
import { emitRecurrent, recurrentProblem, type Cell } from './recurrent'
import { transpose } from './tensors'

/** What an export needs besides the graph. */
export interface ToOnnxOptions {
  /** The trained weights of a layer, in tfjs' order (layer.getWeights()). */
  weightsOf: (layerName: string) => WeightTensor[]
  /** Written to the model's metadata_props (e.g. preprocessing, classes). */
  metadata?: Record<string, string>
  /** Graph name (default 'model'). */
  name?: string
  docString?: string
  producerVersion?: string
}

/** A refusal naming the layer that ONNX (opset 13) can not express. */
export class OnnxUnsupportedError extends AppError {
  constructor(node: GraphNode, reason: string) {
    super('invalid_input', `Layer '${node.name}' (${node.type}) can't be exported to ONNX: ${reason}.`, { layer: node.name, type: node.type })
  }
}

interface Value {
  name: string
  type: ElemType
}

/** ONNX pads [begins..., ends...] for tfjs 'same'/'valid' padding, or null where a dim is unknown (then SAME_UPPER is used). */
function padsFor(padding: string, inDims: Shape, kernel: number[], strides: number[], dilations: number[]): number[] | null {
  if (padding !== 'same') return kernel.map(() => 0).concat(kernel.map(() => 0))
  const begins: number[] = []
  const ends: number[] = []
  for (let i = 0; i < kernel.length; i++) {
    const n = inDims[i]
    if (n === null || n === undefined) return null
    const s = strides[i] as number
    const span = ((kernel[i] as number) - 1) * (dilations[i] as number) + 1
    // TensorFlow's SAME: output ceil(n / s), the odd pixel of padding goes at the end.
    const total = Math.max((Math.ceil(n / s) - 1) * s + span - n, 0)
    begins.push(Math.floor(total / 2))
    ends.push(total - Math.floor(total / 2))
  }
  return begins.concat(ends)
}

const asList = (v: unknown, n: number): number[] => (Array.isArray(v) ? (v as number[]) : Array.from({ length: n }, () => v as number))

/** Converts a graph and its weights to ONNX bytes; throws OnnxUnsupportedError naming a layer that can't be expressed. */
export function toOnnx(graph: ModelGraph, opts: ToOnnxOptions): Uint8Array {
  const index = indexGraph(graph)
  const inferred = inferGraph(graph, {}, index)
  if (hasErrors(inferred.issues)) {
    const first = inferred.issues.find((i) => i.severity === 'error')
    throw new AppError('invalid_input', `The model has errors and can't be exported; first: ${first?.code} ${first?.message}`)
  }
  const { order } = topoSort(graph, index)
  const b = new OnnxBuilder()
  const values = new Map<string, Value>()
  const shapeOf = (id: string): Shape => inferred.nodes[id]?.outputShape ?? []
  const inputs: ValueSpec[] = []
  const hasRecurrent = graph.nodes.some((n) => ['SimpleRNN', 'LSTM', 'GRU', 'Bidirectional'].includes(n.type))
  // Inputs keep their layer's name and outputs get '<layer>_output'; reserved first so no inner value takes them.
  for (const n of graph.nodes) if (n.type === 'Input') b.reserve(n.name)
  const outs = outputNodes(graph, index)
  for (const n of outs) b.reserve(`${n.name}_output`)

  for (const node of order) {
    const p = withDefaults(node.type, node.params)
    const srcs = (index.incoming.get(node.id) ?? []).map((e) => ({ id: e.source, value: values.get(e.source) as Value }))
    const base = node.name
    const refuse = (reason: string): never => {
      throw new OnnxUnsupportedError(node, reason)
    }
    const x0 = srcs[0]
    const inShape: Shape = x0 ? shapeOf(x0.id) : []
    /** The first input as float32 (int32 Input ids cast, as tfjs does). */
    const xf = (): string => {
      const v = x0?.value as Value
      return v.type === 'float32' ? v.name : b.op1('Cast', [v.name], { to: 1 }, base)
    }
    const act = (y: string): string => {
      const a = (p.activation as string | undefined) ?? 'linear'
      return applyActivation(b, a, y, base) ?? refuse(`activation '${a}' has no ONNX equivalent`)
    }
    const weights = (): WeightTensor[] => opts.weightsOf(node.name)
    /** Runs `body` on the input moved to channels-first, and moves its result back to channels-last. */
    const channelsFirst = (x: string, rank: number, body: (xc: string) => string): string => {
      const toFirst = [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)]
      const toLast = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1]
      const y = body(b.op1('Transpose', [x], { perm: toFirst }, base))
      return b.op1('Transpose', [y], { perm: toLast }, base)
    }
    let out: Value
    switch (node.type) {
      case 'Input': {
        const dtype = p.dtype === 'int32' ? 'int32' : 'float32'
        const name = node.name
        inputs.push({ name, type: dtype, shape: ['batch', ...(p.shape as Shape).map((d, i) => d ?? `${node.name}_dim${i + 1}`)] })
        out = { name, type: dtype }
        break
      }
      case 'Dense': {
        const [kernel, bias] = weights() as [WeightTensor, WeightTensor | undefined]
        let y = b.op1('MatMul', [xf(), b.floats(`${base}/kernel`, kernel.shape, kernel.values)], {}, base)
        if (p.useBias && bias) y = b.op1('Add', [y, b.floats(`${base}/bias`, bias.shape, bias.values)], {}, base)
        out = { name: act(y), type: 'float32' }
        break
      }
      case 'Conv1D':
      case 'Conv2D': {
        const n = node.type === 'Conv1D' ? 1 : 2
        const [kernel, bias] = weights() as [WeightTensor, WeightTensor | undefined]
        const ks = asList(p.kernelSize, n)
        const st = asList(p.strides, n)
        const dl = asList(p.dilationRate, n)
        // tfjs kernel [...spatial, in, out] → ONNX [out, in, ...spatial]
        const w = transpose(kernel, [n + 1, n, ...Array.from({ length: n }, (_, i) => i)])
        const pads = padsFor(p.padding as string, inShape.slice(0, n), ks, st, dl)
        const y = channelsFirst(xf(), n + 2, (xc) => {
          const ins = [xc, b.floats(`${base}/kernel`, w.shape, w.values)]
          if (p.useBias && bias) ins.push(b.floats(`${base}/bias`, bias.shape, bias.values))
          return b.op1('Conv', ins, { kernel_shape: ks, strides: st, dilations: dl, ...(pads ? { pads } : { auto_pad: 'SAME_UPPER' }) }, base)
        })
        out = { name: act(y), type: 'float32' }
        break
      }
      case 'SeparableConv2D': {
        const [dw, pw, bias] = weights() as [WeightTensor, WeightTensor, WeightTensor | undefined]
        const [kh, kw, cin, mult] = dw.shape as [number, number, number, number]
        const ks = asList(p.kernelSize, 2)
        const st = asList(p.strides, 2)
        const dl = asList(p.dilationRate, 2)
        // Depthwise as a grouped Conv (group = input channels): output channel c*mult + m is dw[:, :, c, m].
        const dwOnnx = transpose({ shape: [kh, kw, cin * mult], values: dw.values }, [2, 0, 1])
        const pwOnnx = transpose(pw, [3, 2, 0, 1])
        const pads = padsFor(p.padding as string, inShape.slice(0, 2), ks, st, dl)
        const y = channelsFirst(xf(), 4, (xc) => {
          const d = b.op1('Conv', [xc, b.floats(`${base}/depthwise_kernel`, [cin * mult, 1, kh, kw], dwOnnx.values)], { kernel_shape: ks, strides: st, dilations: dl, group: cin, ...(pads ? { pads } : { auto_pad: 'SAME_UPPER' }) }, base)
          const ins = [d, b.floats(`${base}/pointwise_kernel`, pwOnnx.shape, pwOnnx.values)]
          if (p.useBias && bias) ins.push(b.floats(`${base}/bias`, bias.shape, bias.values))
          return b.op1('Conv', ins, { kernel_shape: [1, 1] }, base)
        })
        out = { name: act(y), type: 'float32' }
        break
      }
      case 'Conv2DTranspose': {
        const [kernel, bias] = weights() as [WeightTensor, WeightTensor | undefined]
        const ks = asList(p.kernelSize, 2)
        const st = asList(p.strides, 2)
        if (inShape[0] === null || inShape[1] === null) refuse('its input height and width must be known')
        // tfjs kernel [kh, kw, filters, in] → ONNX [in, filters, kh, kw]
        const w = transpose(kernel, [3, 2, 0, 1])
        const begins: number[] = []
        const ends: number[] = []
        const extra: number[] = []
        for (let i = 0; i < 2; i++) {
          const k = ks[i] as number
          const s = st[i] as number
          // tfjs: 'same' gives n*s, 'valid' n*s + max(k - s, 0); ONNX gives s*(n-1) + k - pads + output_padding.
          const crop = p.padding === 'same' ? Math.max(k - s, 0) : 0
          begins.push(Math.floor(crop / 2))
          ends.push(crop - Math.floor(crop / 2))
          extra.push(Math.max(s - k, 0))
        }
        const y = channelsFirst(xf(), 4, (xc) => {
          const ins = [xc, b.floats(`${base}/kernel`, w.shape, w.values)]
          if (p.useBias && bias) ins.push(b.floats(`${base}/bias`, bias.shape, bias.values))
          return b.op1('ConvTranspose', ins, { kernel_shape: ks, strides: st, pads: [...begins, ...ends], output_padding: extra }, base)
        })
        out = { name: act(y), type: 'float32' }
        break
      }
      case 'MaxPooling1D':
      case 'MaxPooling2D':
      case 'AveragePooling1D':
      case 'AveragePooling2D': {
        const n = node.type.endsWith('1D') ? 1 : 2
        const ks = asList(p.poolSize, n)
        const st = p.strides === null || p.strides === undefined ? ks : asList(p.strides, n)
        const pads = padsFor(p.padding as string, inShape.slice(0, n), ks, st, ks.map(() => 1))
        const opType = node.type.startsWith('Max') ? 'MaxPool' : 'AveragePool'
        // AveragePool's count_include_pad=0 (default) matches TensorFlow, which leaves padding out of the mean.
        const y = channelsFirst(xf(), n + 2, (xc) => b.op1(opType, [xc], { kernel_shape: ks, strides: st, ...(pads ? { pads } : { auto_pad: 'SAME_UPPER' }) }, base))
        out = { name: y, type: 'float32' }
        break
      }
      case 'GlobalAveragePooling1D':
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling1D':
      case 'GlobalMaxPooling2D': {
        const axes = node.type.endsWith('1D') ? [1] : [1, 2]
        out = { name: b.op1(node.type.includes('Max') ? 'ReduceMax' : 'ReduceMean', [xf()], { axes, keepdims: 0 }, base), type: 'float32' }
        break
      }
      case 'Flatten':
        // Row-major over the channels-last sample, exactly like tfjs' Flatten.
        out = { name: b.op1('Flatten', [x0?.value.name as string], { axis: 1 }, base), type: (x0?.value as Value).type }
        break
      case 'Reshape': {
        const target = shapeOf(node.id)
        const dims = target.some((d) => d === null) ? (p.targetShape as number[]) : (target as number[])
        out = { name: b.op1('Reshape', [x0?.value.name as string, b.int64s(`${base}/shape`, [0, ...dims])], {}, base), type: (x0?.value as Value).type }
        break
      }
      case 'Dropout':
        // Inference: identity.
        out = x0?.value as Value
        break
      case 'BatchNormalization': {
        const ws = weights()
        let k = 0
        const gamma = p.scale ? (ws[k++] as WeightTensor).values : null
        const beta = p.center ? (ws[k++] as WeightTensor).values : null
        const mean = (ws[k++] as WeightTensor).values
        const variance = (ws[k++] as WeightTensor).values
        // Folded into one scale and shift on the last (channel) axis: y = x * a + c.
        const eps = p.epsilon as number
        const a = new Float32Array(mean.length)
        const c = new Float32Array(mean.length)
        for (let i = 0; i < mean.length; i++) {
          a[i] = (gamma ? (gamma[i] as number) : 1) / Math.sqrt((variance[i] as number) + eps)
          c[i] = (beta ? (beta[i] as number) : 0) - (mean[i] as number) * (a[i] as number)
        }
        const y = b.op1('Mul', [xf(), b.floats(`${base}/scale`, [a.length], a)], {}, base)
        out = { name: b.op1('Add', [y, b.floats(`${base}/shift`, [c.length], c)], {}, base), type: 'float32' }
        break
      }
      case 'LayerNormalization': {
        const ws = weights()
        let k = 0
        const gamma = p.scale ? (ws[k++] as WeightTensor) : null
        const beta = p.center ? (ws[k++] as WeightTensor) : null
        // Opset 13 has no LayerNormalization op: mean and variance over the last axis, spelled out.
        const x = xf()
        const mean = b.op1('ReduceMean', [x], { axes: [-1], keepdims: 1 }, base)
        const d = b.op1('Sub', [x, mean], {}, base)
        const variance = b.op1('ReduceMean', [b.op1('Mul', [d, d], {}, base)], { axes: [-1], keepdims: 1 }, base)
        const std = b.op1('Sqrt', [b.op1('Add', [variance, b.floats(`${base}/epsilon`, [], [p.epsilon as number])], {}, base)], {}, base)
        let y = b.op1('Div', [d, std], {}, base)
        if (gamma) y = b.op1('Mul', [y, b.floats(`${base}/gamma`, gamma.shape, gamma.values)], {}, base)
        if (beta) y = b.op1('Add', [y, b.floats(`${base}/beta`, beta.shape, beta.values)], {}, base)
        out = { name: y, type: 'float32' }
        break
      }
      case 'Activation':
        out = { name: act(xf()), type: 'float32' }
        break
      case 'Rescaling': {
        const y = b.op1('Mul', [xf(), b.floats(`${base}/scale`, [], [p.scale as number])], {}, base)
        out = { name: b.op1('Add', [y, b.floats(`${base}/offset`, [], [p.offset as number])], {}, base), type: 'float32' }
        break
      }
      case 'Embedding': {
        if (p.maskZero && hasRecurrent) refuse('maskZero makes later recurrent layers skip padded steps, which the ONNX recurrent ops can not express')
        const [table] = weights() as [WeightTensor]
        const v = x0?.value as Value
        const ids = v.type === 'float32' ? b.op1('Cast', [v.name], { to: 6 }, base) : v.name // tfjs casts ids to int32
        out = { name: b.op1('Gather', [b.floats(`${base}/embeddings`, table.shape, table.values), ids], { axis: 0 }, base), type: 'float32' }
        break
      }
      case 'SimpleRNN':
      case 'LSTM':
      case 'GRU':
      case 'Bidirectional': {
        const cell = (node.type === 'Bidirectional' ? p.layer : node.type) as Cell
        const spec = { cell, activation: p.activation as string, recurrentActivation: p.recurrentActivation as string }
        const problem = recurrentProblem(spec)
        if (problem) refuse(problem)
        if (inShape[1] === null || inShape[1] === undefined) refuse('its input feature count must be known')
        const y = emitRecurrent(
          b,
          xf(),
          {
            ...spec,
            units: p.units as number,
            inputFeatures: inShape[1] as number,
            useBias: p.useBias as boolean,
            returnSequences: p.returnSequences as boolean,
            mergeMode: node.type === 'Bidirectional' ? (p.mergeMode as 'concat') : null,
            weights: weights(),
          },
          base,
        )
        out = { name: y, type: 'float32' }
        break
      }
      case 'Add': {
        let y = srcs[0]?.value.name as string
        for (const s of srcs.slice(1)) y = b.op1('Add', [y, s.value.name], {}, base)
        out = { name: y, type: (x0?.value as Value).type }
        break
      }
      case 'Concatenate': {
        const anyFloat = srcs.some((s) => s.value.type === 'float32')
        const ins = srcs.map((s) => (anyFloat && s.value.type !== 'float32' ? b.op1('Cast', [s.value.name], { to: 1 }, base) : s.value.name))
        out = { name: b.op1('Concat', ins, { axis: p.axis as number }, base), type: anyFloat ? 'float32' : (x0?.value as Value).type }
        break
      }
      default:
        refuse('no ONNX conversion is defined for this layer type')
        throw new Error('unreachable')
    }
    values.set(node.id, out)
  }

  const outputs: ValueSpec[] = outs.map((n) => {
    const v = values.get(n.id) as Value
    const name = `${n.name}_output`
    b.op1('Identity', [v.name], {}, n.name, name)
    return { name, type: v.type, shape: ['batch', ...shapeOf(n.id).map((d, i) => d ?? `${n.name}_dim${i + 1}`)] }
  })
  return b.encode({
    name: opts.name ?? 'model',
    inputs,
    outputs,
    metadata: opts.metadata ?? {},
    docString: opts.docString ?? 'Exported by Neural Workbench; tensors are channels-last (NHWC), as in the TF.js model.',
    producerVersion: opts.producerVersion ?? '0.1.0',
  })
}
