// Shape, parameter and MAC inference over the whole graph, plus all validation issues.
// One topological pass; per node work is proportional to its inputs, so a few hundred
// layers take well under a millisecond.
import { CATALOG, getLayerSpec, validateParams, withDefaults } from './catalog'
import { dataFitIssues, type DataShape } from './dataFit'
import { issue, type Issue, type IssueCode } from './issues'
import { formatShape, inferLayer } from './layerRules'
import { LAYER_TYPES, type GraphEdge, type GraphNode, type ModelGraph, type Shape } from './types'
import { indexGraph, nameIssues, outputNodes, topoSort, type GraphIndex } from './validate'

/** Optional knowledge about the training data, used for output-head warnings. */
export interface InferContext {
  /** Number of classes of a classification dataset (2 = binary). */
  classCount?: number
  /** The dataset the model is bound to: a model that no longer fits it gets E019 issues. */
  data?: { shape: DataShape; label: string }
}

/** Inference result for one node; outputShape is null when it can't be determined. */
export interface NodeInfo {
  outputShape: Shape | null
  params: { trainable: number; nonTrainable: number }
  /** Multiply-adds per sample (unknown dims count as 1). */
  macs: number
}

/** Result of inferGraph. */
export interface InferResult {
  nodes: Record<string, NodeInfo>
  totals: { trainable: number; nonTrainable: number; macs: number }
  issues: Issue[]
}

/** Layer types that carry an `activation` param. */
const HAS_ACTIVATION = new Set<string>(LAYER_TYPES.filter((t) => CATALOG[t].params.some((p) => p.name === 'activation')))

/** The activation a node applies last, if it has one (RNN activations don't count as a head). */
function finalActivation(node: GraphNode): string | undefined {
  if (!HAS_ACTIVATION.has(node.type) || CATALOG[node.type].category === 'recurrent') return undefined
  const a = withDefaults(node.type, node.params).activation
  return typeof a === 'string' ? a : undefined
}

/** Output-head sanity checks against the class count (W003–W006). */
function headIssues(node: GraphNode, shape: Shape, ctx: InferContext, out: Issue[]): void {
  const act = finalActivation(node)
  const units = shape[shape.length - 1] ?? null
  if (act === undefined || units === null) return
  const k = ctx.classCount
  if (act === 'softmax' && units === 1) {
    out.push(issue('W006', `'${node.name}' applies softmax to a single unit, which always outputs 1`, { nodeId: node.id, fix: "use 1 unit with 'sigmoid' for binary, or one unit per class with softmax" }))
    return
  }
  if (k === undefined) return
  if (act === 'softmax' && units !== k) {
    out.push(issue('W003', `Output '${node.name}' has ${units} softmax units but the data has ${k} classes`, { nodeId: node.id, field: 'units', fix: `set units to ${k}` }))
  } else if (act === 'sigmoid' && k > 2) {
    out.push(issue('W004', `Output '${node.name}' uses sigmoid but the data has ${k} classes`, { nodeId: node.id, field: 'activation', fix: `use softmax with ${k} units` }))
  } else if (act === 'sigmoid' && k === 2 && units !== 1) {
    out.push(issue('W005', `Binary output '${node.name}' has ${units} sigmoid units`, { nodeId: node.id, field: 'units', fix: 'use 1 unit with sigmoid (or 2 units with softmax)' }))
  }
}

const NO_INFO = (): NodeInfo => ({ outputShape: null, params: { trainable: 0, nonTrainable: 0 }, macs: 0 })

/** Infers every node's output shape, params and MACs, and collects all issues. Pure. */
export function inferGraph(graph: ModelGraph, ctx: InferContext = {}, prebuilt?: GraphIndex): InferResult {
  const index = prebuilt ?? indexGraph(graph)
  const issues: Issue[] = [...index.edgeIssues, ...nameIssues(graph)]
  const nodes: Record<string, NodeInfo> = {}
  const blocked = new Set<string>() // nodes that can't be inferred because of their own errors
  let hasInput = false

  for (const n of graph.nodes) {
    nodes[n.id] = NO_INFO()
    const spec = getLayerSpec(n.type)
    if (!spec) {
      issues.push(issue('E015', `Unknown layer type '${String(n.type)}'`, { nodeId: n.id, fix: 'delete this layer' }))
      blocked.add(n.id)
      continue
    }
    if (n.type === 'Input') hasInput = true
    const nIn = (index.incoming.get(n.id) as GraphEdge[]).length
    const nOut = (index.outgoing.get(n.id) as GraphEdge[]).length
    if (n.type === 'Input') {
      if (nIn > 0) {
        issues.push(issue('E004', `Input '${n.name}' can't receive connections`, { nodeId: n.id, fix: 'remove the connections into this Input' }))
      }
      if (nOut === 0) issues.push(issue('E003', `Input '${n.name}' isn't connected to any layer`, { nodeId: n.id, fix: 'connect it or delete it' }))
    } else if (nIn === 0) {
      issues.push(issue('E003', `'${n.name}' has no input`, { nodeId: n.id, fix: 'connect a layer into it, or delete it' }))
      blocked.add(n.id)
    } else if (nIn < spec.minInputs || (spec.maxInputs !== null && nIn > spec.maxInputs)) {
      const want = spec.maxInputs === null ? `at least ${spec.minInputs}` : spec.minInputs === spec.maxInputs ? `exactly ${spec.minInputs}` : `${spec.minInputs}–${spec.maxInputs}`
      issues.push(
        issue('E004', `${n.type} '${n.name}' takes ${want} input${spec.minInputs === 1 && spec.maxInputs === 1 ? '' : 's'}, but has ${nIn}`, {
          nodeId: n.id,
          fix: nIn > (spec.maxInputs ?? Infinity) ? 'merge the inputs first with Add or Concatenate' : 'connect another input',
        }),
      )
      blocked.add(n.id)
    }
    for (const fe of validateParams(n.type, n.params)) {
      issues.push(issue('E013', `${n.name}: ${fe.message}`, { nodeId: n.id, field: fe.field }))
      blocked.add(n.id)
    }
  }
  if (!hasInput && graph.nodes.length > 0) issues.push(issue('E002', 'The model has no Input layer', { fix: 'add an Input layer and connect it to the first layer' }))
  if (graph.nodes.length === 0) issues.push(issue('E002', 'The model is empty', { fix: 'add an Input layer, or start from a template' }))

  const { order, cyclic } = topoSort(graph, index)
  for (const n of cyclic) {
    issues.push(issue('E001', `'${n.name}' is part of a cycle`, { nodeId: n.id, fix: 'remove one of the connections that loops back' }))
  }

  for (const n of order) {
    if (blocked.has(n.id)) continue
    const inEdges = index.incoming.get(n.id) as GraphEdge[]
    const shapes: Shape[] = []
    let ready = true
    for (const e of inEdges) {
      const s = (nodes[e.source] as NodeInfo).outputShape
      if (s === null) {
        ready = false // upstream problem already reported; don't cascade
        break
      }
      shapes.push(s)
    }
    if (!ready) continue
    const r = inferLayer(n.type, withDefaults(n.type, n.params), shapes, (code: IssueCode, message: string, fix?: string, field?: string) => {
      issues.push(issue(code, `${n.name}: ${message}`, { nodeId: n.id, ...(fix !== undefined ? { fix } : {}), ...(field !== undefined ? { field } : {}) }))
    })
    nodes[n.id] = { outputShape: r.outputShape, params: { trainable: r.trainable, nonTrainable: r.nonTrainable }, macs: r.macs }
  }

  const outs = outputNodes(graph, index)
  if (outs.length > 1) {
    const names = outs.map((o) => `'${o.name}'`).join(', ')
    for (const o of outs) {
      issues.push(issue('W001', `The model has ${outs.length} outputs (${names}); '${o.name}' feeds nothing`, { nodeId: o.id, fix: 'connect it onward or delete it if it is left over' }))
    }
  }
  for (const o of outs) {
    const s = (nodes[o.id] as NodeInfo).outputShape
    // A trailing Dropout doesn't change what the head computes: judge the layer before it.
    let head = o
    for (let hop = 0; head.type === 'Dropout' && hop < graph.nodes.length; hop++) {
      const inEdges = index.incoming.get(head.id) as GraphEdge[]
      if (inEdges.length !== 1) break
      head = index.byId.get((inEdges[0] as GraphEdge).source) as GraphNode
    }
    if (s) headIssues(head, s, ctx, issues)
  }

  if (ctx.data) issues.push(...dataFitIssues(graph, ctx.data.shape, ctx.data.label, nodes))

  const totals = { trainable: 0, nonTrainable: 0, macs: 0 }
  for (const id in nodes) {
    const info = nodes[id] as NodeInfo
    totals.trainable += info.params.trainable
    totals.nonTrainable += info.params.nonTrainable
    totals.macs += info.macs
  }
  return { nodes, totals, issues }
}

/** Shortcut: only the issues of inferGraph. */
export function validateGraph(graph: ModelGraph, ctx: InferContext = {}): Issue[] {
  return inferGraph(graph, ctx).issues
}

/** Human-readable output shape of a node, e.g. "[?, 26, 26, 32]" style without batch: "[26, 26, 32]". */
export function describeShape(shape: Shape | null): string {
  return shape === null ? '?' : formatShape(shape)
}
