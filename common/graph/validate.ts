// Structural graph helpers shared by inference, export and editing:
// adjacency index, topological order, cycle checks, layer-name rules.
import { issue, type Issue } from './issues'
import type { GraphEdge, GraphNode, ModelGraph } from './types'

/** Layer names tfjs accepts (its tensor-name rule minus '/', which would clash with weight paths). */
export const LAYER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/

/** Adjacency built once per graph; incoming edges are in input-slot order. */
export interface GraphIndex {
  byId: Map<string, GraphNode>
  /** Position of each node in graph.nodes (for stable ordering). */
  order: Map<string, number>
  incoming: Map<string, GraphEdge[]>
  outgoing: Map<string, GraphEdge[]>
  /** Problems with edges themselves (missing endpoints, duplicates): E017. */
  edgeIssues: Issue[]
}

/** Builds the adjacency index; invalid/duplicate edges are left out and reported. */
export function indexGraph(graph: ModelGraph): GraphIndex {
  const byId = new Map<string, GraphNode>()
  const order = new Map<string, number>()
  const incoming = new Map<string, GraphEdge[]>()
  const outgoing = new Map<string, GraphEdge[]>()
  graph.nodes.forEach((n, i) => {
    byId.set(n.id, n)
    order.set(n.id, i)
    incoming.set(n.id, [])
    outgoing.set(n.id, [])
  })
  const edgeIssues: Issue[] = []
  const seen = new Set<string>()
  for (const e of graph.edges) {
    const src = byId.get(e.source)
    const dst = byId.get(e.target)
    if (!src || !dst) {
      const missing = !src ? e.source : e.target
      const other = src ? e.source : dst ? e.target : undefined
      edgeIssues.push(
        issue('E017', `Connection ${e.id} refers to a missing layer '${missing}'`, {
          ...(other !== undefined ? { nodeId: other } : {}),
          fix: 'delete the connection',
        }),
      )
      continue
    }
    const key = `${e.source}\u0000${e.target}`
    if (seen.has(key)) {
      edgeIssues.push(issue('E017', `'${src.name}' is connected to '${dst.name}' twice`, { nodeId: e.target, fix: 'delete the duplicate connection' }))
      continue
    }
    seen.add(key)
    outgoing.get(e.source)?.push(e)
    incoming.get(e.target)?.push(e)
  }
  // Why: merge layers depend on input order (Concatenate); targetIndex first, then edge order.
  for (const list of incoming.values()) {
    if (list.length > 1 && list.some((e) => e.targetIndex !== undefined)) {
      const pos = new Map(list.map((e, i) => [e, i]))
      list.sort((a, b) => (a.targetIndex ?? Infinity) - (b.targetIndex ?? Infinity) || (pos.get(a) as number) - (pos.get(b) as number))
    }
  }
  return { byId, order, incoming, outgoing, edgeIssues }
}

/** Topological order (Kahn, stable by node order) plus the nodes on or between cycles. */
export function topoSort(graph: ModelGraph, index: GraphIndex): { order: GraphNode[]; cyclic: GraphNode[] } {
  const indeg = new Map<string, number>()
  for (const n of graph.nodes) indeg.set(n.id, (index.incoming.get(n.id) as GraphEdge[]).length)
  const out: GraphNode[] = []
  // A simple FIFO over node order keeps the result deterministic and O(V + E).
  const queue: GraphNode[] = graph.nodes.filter((n) => indeg.get(n.id) === 0)
  for (let head = 0; head < queue.length; head++) {
    const n = queue[head] as GraphNode
    out.push(n)
    for (const e of index.outgoing.get(n.id) as GraphEdge[]) {
      const d = (indeg.get(e.target) as number) - 1
      indeg.set(e.target, d)
      if (d === 0) queue.push(index.byId.get(e.target) as GraphNode)
    }
  }
  if (out.length === graph.nodes.length) return { order: out, cyclic: [] }
  // Left-over nodes are on a cycle or downstream of one. Peel off those that lead nowhere
  // within the left-over set (reverse Kahn); what remains sits on (or between) cycles.
  const left = new Set(graph.nodes.filter((n) => (indeg.get(n.id) as number) > 0).map((n) => n.id))
  const outdeg = new Map<string, number>()
  const stack: string[] = []
  for (const id of left) {
    const d = (index.outgoing.get(id) as GraphEdge[]).filter((e) => left.has(e.target)).length
    outdeg.set(id, d)
    if (d === 0) stack.push(id)
  }
  while (stack.length > 0) {
    const id = stack.pop() as string
    left.delete(id)
    for (const e of index.incoming.get(id) as GraphEdge[]) {
      if (!left.has(e.source)) continue
      const d = (outdeg.get(e.source) as number) - 1
      outdeg.set(e.source, d)
      if (d === 0) stack.push(e.source)
    }
  }
  return { order: out, cyclic: graph.nodes.filter((n) => left.has(n.id)) }
}

/** True if adding source→target would close a cycle (including a self-loop). */
export function wouldCreateCycle(graph: ModelGraph, source: string, target: string): boolean {
  if (source === target) return true
  const next = new Map<string, string[]>()
  for (const e of graph.edges) {
    const list = next.get(e.source)
    if (list) list.push(e.target)
    else next.set(e.source, [e.target])
  }
  // Cycle iff `source` is reachable from `target`.
  const seen = new Set<string>([target])
  const stack = [target]
  while (stack.length > 0) {
    const id = stack.pop() as string
    for (const t of next.get(id) ?? []) {
      if (t === source) return true
      if (!seen.has(t)) {
        seen.add(t)
        stack.push(t)
      }
    }
  }
  return false
}

/** Checks names: empty, invalid characters, duplicates (E018). */
export function nameIssues(graph: ModelGraph): Issue[] {
  const out: Issue[] = []
  const firstByName = new Map<string, GraphNode>()
  for (const n of graph.nodes) {
    if (!LAYER_NAME_PATTERN.test(n.name)) {
      out.push(
        issue('E018', n.name === '' ? 'Layer name is empty' : `Layer name '${n.name}' may only use letters, digits, '_', '.', '-' and must start with a letter or digit`, {
          nodeId: n.id,
          fix: 'rename the layer',
        }),
      )
      continue
    }
    const first = firstByName.get(n.name)
    if (first) out.push(issue('E018', `Another layer is already named '${n.name}'`, { nodeId: n.id, fix: 'rename one of them' }))
    else firstByName.set(n.name, n)
  }
  return out
}

/** Nodes with no outgoing edges that do have inputs: the model's outputs, in node order. */
export function outputNodes(graph: ModelGraph, index: GraphIndex): GraphNode[] {
  return graph.nodes.filter(
    (n) => n.type !== 'Input' && (index.outgoing.get(n.id) as GraphEdge[]).length === 0 && (index.incoming.get(n.id) as GraphEdge[]).length > 0,
  )
}
