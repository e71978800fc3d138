// What changed between two model graphs, layer by layer. Layers are matched by name first; the
// rest by position: an order-preserving alignment (longest common subsequence of layer types) of
// the unmatched layers in topological order, so a renamed layer pairs with its counterpart while
// an inserted one shows as added. Shapes and parameter counts come from inferGraph.
import { getLayerSpec, withDefaults } from '../graph/catalog'
import { inferGraph, type InferResult } from '../graph/infer'
import type { GraphEdge, GraphNode, ModelGraph, Shape } from '../graph/types'
import { indexGraph, topoSort, type GraphIndex } from '../graph/validate'

/** A layer as the diff lists it; params = its parameter count (trainable + non-trainable). */
export interface LayerRef {
  id: string
  name: string
  type: string
  outputShape: Shape | null
  params: number
}

/** One differing layer parameter; undefined where the layer type has no such parameter. */
export interface ParamChange {
  key: string
  a: unknown
  b: unknown
}

/** A layer present in both graphs that differs in name, type, parameters, inputs, shape or size. */
export interface LayerChange {
  a: LayerRef
  b: LayerRef
  matchedBy: 'name' | 'position'
  renamed: boolean
  typeChanged: boolean
  params: ParamChange[]
  outputShape: { a: Shape | null; b: Shape | null; changed: boolean }
  paramCount: { a: number; b: number; delta: number }
  /** Names of the input layers, a's mapped to their counterparts' names in b. */
  inputs: { a: string[]; b: string[]; changed: boolean }
}

/** The whole comparison; lists are in topological order. */
export interface ArchitectureDiff {
  added: LayerRef[]
  removed: LayerRef[]
  changed: LayerChange[]
  unchanged: number
  totals: { a: number; b: number; delta: number }
}

interface Side {
  graph: ModelGraph
  index: GraphIndex
  info: InferResult
  order: GraphNode[]
}

function side(graph: ModelGraph): Side {
  const index = indexGraph(graph)
  const { order, cyclic } = topoSort(graph, index)
  return { graph, index, info: inferGraph(graph, {}, index), order: [...order, ...cyclic] }
}

function ref(s: Side, n: GraphNode): LayerRef {
  const info = s.info.nodes[n.id]
  return { id: n.id, name: n.name, type: n.type, outputShape: info?.outputShape ?? null, params: info ? info.params.trainable + info.params.nonTrainable : 0 }
}

/** Parameters with catalog defaults filled in, so an explicit default equals an omitted one. */
function fullParams(n: GraphNode): Record<string, unknown> {
  return getLayerSpec(n.type) ? withDefaults(n.type, n.params) : { ...n.params }
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

function inputNames(s: Side, n: GraphNode): GraphNode[] {
  const edges = [...(s.index.incoming.get(n.id) ?? [])] as GraphEdge[]
  edges.sort((p, q) => (p.targetIndex ?? Infinity) - (q.targetIndex ?? Infinity))
  return edges.map((e) => s.index.byId.get(e.source)).filter((x): x is GraphNode => x !== undefined)
}

/** In-order pairing of equal types without look-ahead: the fallback for huge unmatched sets, O(n + m). */
function greedyByType(a: GraphNode[], b: GraphNode[]): [number, number][] {
  const pairs: [number, number][] = []
  let j = 0
  for (let i = 0; i < a.length && j < b.length; i++) {
    let k = j
    while (k < b.length && (b[k] as GraphNode).type !== (a[i] as GraphNode).type) k++
    if (k < b.length) {
      pairs.push([i, k])
      j = k + 1
    }
  }
  return pairs
}

/** Pairs of positions (i in a, j in b) of a longest common subsequence of the two type lists. */
function alignByType(a: GraphNode[], b: GraphNode[]): [number, number][] {
  const n = a.length
  const m = b.length
  if (n === 0 || m === 0) return []
  if (n * m > 4_000_000) return greedyByType(a, b)
  const w = m + 1
  const dp = new Uint32Array((n + 1) * w)
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i * w + j] = (a[i] as GraphNode).type === (b[j] as GraphNode).type ? (dp[(i + 1) * w + j + 1] as number) + 1 : Math.max(dp[(i + 1) * w + j] as number, dp[i * w + j + 1] as number)
    }
  }
  const pairs: [number, number][] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if ((a[i] as GraphNode).type === (b[j] as GraphNode).type) {
      pairs.push([i, j])
      i++
      j++
    } else if ((dp[(i + 1) * w + j] as number) >= (dp[i * w + j + 1] as number)) i++
    else j++
  }
  return pairs
}

/** Layers added, removed and changed going from graph a to graph b. */
export function diffArchitectures(a: ModelGraph, b: ModelGraph): ArchitectureDiff {
  const sa = side(a)
  const sb = side(b)
  const match = new Map<GraphNode, { node: GraphNode; by: 'name' | 'position' }>()
  const bByName = new Map<string, GraphNode>()
  for (const n of sb.order) if (!bByName.has(n.name)) bByName.set(n.name, n)
  const takenB = new Set<GraphNode>()
  for (const n of sa.order) {
    const other = bByName.get(n.name)
    if (other && !takenB.has(other)) {
      match.set(n, { node: other, by: 'name' })
      takenB.add(other)
    }
  }
  const restA = sa.order.filter((n) => !match.has(n))
  const restB = sb.order.filter((n) => !takenB.has(n))
  for (const [i, j] of alignByType(restA, restB)) {
    match.set(restA[i] as GraphNode, { node: restB[j] as GraphNode, by: 'position' })
    takenB.add(restB[j] as GraphNode)
  }

  const changed: LayerChange[] = []
  let unchanged = 0
  for (const na of sa.order) {
    const m = match.get(na)
    if (!m) continue
    const nb = m.node
    const ra = ref(sa, na)
    const rb = ref(sb, nb)
    const pa = fullParams(na)
    const pb = fullParams(nb)
    const params: ParamChange[] = []
    for (const key of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
      if (!same(pa[key], pb[key])) params.push({ key, a: pa[key], b: pb[key] })
    }
    const inA = inputNames(sa, na).map((src) => match.get(src)?.node.name ?? src.name)
    const inB = inputNames(sb, nb).map((src) => src.name)
    const change: LayerChange = {
      a: ra,
      b: rb,
      matchedBy: m.by,
      renamed: na.name !== nb.name,
      typeChanged: na.type !== nb.type,
      params,
      outputShape: { a: ra.outputShape, b: rb.outputShape, changed: !same(ra.outputShape, rb.outputShape) },
      paramCount: { a: ra.params, b: rb.params, delta: rb.params - ra.params },
      inputs: { a: inA, b: inB, changed: !same(inA, inB) },
    }
    const differs = change.renamed || change.typeChanged || params.length > 0 || change.outputShape.changed || change.paramCount.delta !== 0 || change.inputs.changed
    if (differs) changed.push(change)
    else unchanged++
  }
  const total = (s: Side): number => s.info.totals.trainable + s.info.totals.nonTrainable
  return {
    added: sb.order.filter((n) => !takenB.has(n)).map((n) => ref(sb, n)),
    removed: sa.order.filter((n) => !match.has(n)).map((n) => ref(sa, n)),
    changed,
    unchanged,
    totals: { a: total(sa), b: total(sb), delta: total(sb) - total(sa) },
  }
}
