// A readable summary of an exported ONNX model's inputs and outputs, decoded from its bytes.
import { onnx } from 'onnx-proto'

/** One graph input or output as the README shows it. */
export interface ValueSpecSummary {
  name: string
  type: string
  shape: (number | string)[]
}

const TYPE_NAMES: Record<number, string> = { 1: 'float32', 6: 'int32', 7: 'int64' }

/** Names, element types and shapes (symbolic dims by name) of a model's inputs and outputs. */
export function describeOnnx(bytes: Uint8Array): { inputs: ValueSpecSummary[]; outputs: ValueSpecSummary[] } {
  const g = onnx.ModelProto.decode(bytes).graph
  const summary = (v: onnx.IValueInfoProto): ValueSpecSummary => ({
    name: v.name ?? '',
    type: TYPE_NAMES[v.type?.tensorType?.elemType ?? 0] ?? 'unknown',
    shape: (v.type?.tensorType?.shape?.dim ?? []).map((d) => d.dimParam || Number(d.dimValue)),
  })
  return { inputs: (g?.input ?? []).map(summary), outputs: (g?.output ?? []).map(summary) }
}
