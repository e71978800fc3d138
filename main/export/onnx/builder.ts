// Accumulates ONNX nodes, initializers and values, and encodes them as a ModelProto with the
// onnx-proto package (the onnx.proto schema compiled for protobufjs), so no byte is written by hand.
import { onnx } from 'onnx-proto'

/** The ONNX operator set every export targets (the default domain, ai.onnx). Ops and attributes below are as defined at this opset. */
export const ONNX_OPSET = 13
/** The IR version that goes with opset 13 (ONNX 1.8). */
export const ONNX_IR_VERSION = 7

/** An attribute value: numbers are INT unless listed in `floats`, strings are STRING, arrays are INTS or FLOATS. */
export type AttrValue = number | string | number[] | string[] | { float: number } | { floats: number[] }

/** A weight tensor as tfjs holds it (row-major). */
export interface WeightTensor {
  shape: number[]
  values: Float32Array
}

/** Element types used by the export. */
export type ElemType = 'float32' | 'int32' | 'int64'

const TYPE_CODE: Record<ElemType, number> = { float32: onnx.TensorProto.DataType.FLOAT, int32: onnx.TensorProto.DataType.INT32, int64: onnx.TensorProto.DataType.INT64 }

function toAttribute(name: string, v: AttrValue): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType
  if (typeof v === 'number') return { name, type: T.INT, i: v }
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) }
  if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === 'string') return { name, type: T.STRINGS, strings: (v as string[]).map((s) => new TextEncoder().encode(s)) }
    return { name, type: T.INTS, ints: v as number[] }
  }
  if ('float' in v) return { name, type: T.FLOAT, f: v.float }
  return { name, type: T.FLOATS, floats: v.floats }
}

/** One graph input or output: a name, an element type and a shape whose strings are symbolic dims (e.g. 'batch'). */
export interface ValueSpec {
  name: string
  type: ElemType
  shape: (number | string)[]
}

function valueInfo(v: ValueSpec): onnx.IValueInfoProto {
  const dim = v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }))
  return { name: v.name, type: { tensorType: { elemType: TYPE_CODE[v.type], shape: { dim } } } }
}

/** Builds one ONNX graph; names are made unique with a per-prefix counter. */
export class OnnxBuilder {
  private readonly nodes: onnx.INodeProto[] = []
  private readonly initializers: onnx.ITensorProto[] = []
  private readonly used = new Set<string>()

  /** A fresh value name starting with `base`. */
  name(base: string): string {
    let n = base
    for (let k = 1; this.used.has(n); k++) n = `${base}_${k}`
    this.used.add(n)
    return n
  }

  /** Reserves an exact name (graph inputs and outputs keep the layer's name). */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`ONNX value name '${name}' is used twice`)
    this.used.add(name)
    return name
  }

  /** Adds a float32 constant (weights) and returns its name. */
  floats(base: string, shape: number[], values: Float32Array | number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values)
    const name = this.name(base)
    this.initializers.push({ name, dataType: TYPE_CODE.float32, dims: shape, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice() })
    return name
  }

  /** Adds an int64 constant (shapes, axes, pads given as inputs) and returns its name. */
  int64s(base: string, values: number[]): string {
    const data = BigInt64Array.from(values.map((v) => BigInt(v)))
    const name = this.name(base)
    this.initializers.push({ name, dataType: TYPE_CODE.int64, dims: [values.length], rawData: new Uint8Array(data.buffer) })
    return name
  }

  /** Adds one node; returns the names of its outputs (fresh unless given). */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, base = opType.toLowerCase(), outputs: string[] | number = 1): string[] {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.name(base)) : outputs
    const attribute = Object.entries(attrs).map(([k, v]) => toAttribute(k, v))
    this.nodes.push({ opType, input: inputs, output: outs, name: this.name(`${base}/${opType}`), attribute })
    return outs
  }

  /** Adds a node with one output and returns that output's name. */
  op1(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, base = opType.toLowerCase(), output?: string): string {
    return this.op(opType, inputs, attrs, base, output ? [output] : 1)[0] as string
  }

  /** Encodes the whole model. */
  encode(opts: { name: string; inputs: ValueSpec[]; outputs: ValueSpec[]; metadata: Record<string, string>; docString: string; producerVersion: string }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: ONNX_IR_VERSION,
      opsetImport: [{ domain: '', version: ONNX_OPSET }],
      producerName: 'Neural Workbench',
      producerVersion: opts.producerVersion,
      docString: opts.docString,
      graph: {
        name: opts.name,
        node: this.nodes,
        initializer: this.initializers,
        input: opts.inputs.map(valueInfo),
        output: opts.outputs.map(valueInfo),
      },
      metadataProps: Object.entries(opts.metadata).map(([key, value]) => ({ key, value })),
    })
    return onnx.ModelProto.encode(model).finish()
  }
}
