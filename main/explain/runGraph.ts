import type * as TF from '@tensorflow/tfjs'

/** The parts of a tfjs SymbolicTensor the walk reads (tfjs keeps them public but untyped in the namespace). */
interface Symbolic {
  name: string
  inputs: Symbolic[]
  sourceLayer: TF.layers.Layer
  callArgs?: Record<string, unknown>
  outputTensorIndex?: number
}

/**
 * Evaluates `fetch` (a symbolic tensor of `model`'s graph) eagerly, with some symbolic tensors fed
 * concrete values. Feeding an intermediate layer's output cuts the graph there, which is how the
 * gradient of the output with respect to a hidden activation is taken for any functional graph,
 * skip connections included (the branches that do not pass through the fed tensor stay as fed from
 * the input). Layers run in inference mode (dropout off, batch norm on its moving statistics).
 */
export function runGraph(fetch: TF.SymbolicTensor, feeds: ReadonlyArray<[TF.SymbolicTensor, TF.Tensor]>): TF.Tensor {
  const values = new Map<string, TF.Tensor>()
  for (const [s, v] of feeds) values.set(s.name, v)
  const visit = (s: Symbolic): TF.Tensor => {
    const known = values.get(s.name)
    if (known) return known
    if (s.inputs.length === 0) throw new Error(`runGraph: ${s.name} is a model input but was not fed`)
    const inputs = s.inputs.map(visit)
    const out = s.sourceLayer.apply(inputs.length === 1 ? inputs[0] : inputs, { ...(s.callArgs ?? {}), training: false }) as TF.Tensor | TF.Tensor[]
    const value = Array.isArray(out) ? out[s.outputTensorIndex ?? 0] : out
    values.set(s.name, value)
    return value
  }
  return visit(fetch as unknown as Symbolic)
}
