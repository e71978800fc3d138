// Editor edits as serializable change objects, a pure reducer that applies them, and an
// undo/redo history. Changes carry everything needed to replay them deterministically.
import { CATALOG, defaultParams } from './catalog'
import { IdSource, NameSource, newEdgeId, newLayerName, newNodeId } from './ids'
import { buildTemplate, type TemplateName, type TemplateOptions } from './templates'
import type { GraphEdge, GraphNode, LayerType, ModelGraph, Position } from './types'
import { LAYER_NAME_PATTERN, wouldCreateCycle } from './validate'

/** One editor edit. */
export type GraphChange =
  | { kind: 'addNode'; node: GraphNode }
  /** Removes layers with their connections, and the wires in `edgeIds`, as one edit (one undo step). */
  | { kind: 'removeNodes'; ids: string[]; edgeIds?: string[] }
  /** Puts an unconnected layer into an existing wire: source → layer → target, keeping the target's input slot. */
  | { kind: 'spliceIntoEdge'; edgeId: string; nodeId: string }
  | { kind: 'moveNodes'; moves: { id: string; position: Position }[] }
  /** `replace`: when the target takes a single input and already has one, swap it out. */
  | { kind: 'connect'; source: string; target: string; id?: string; targetIndex?: number; replace?: boolean }
  | { kind: 'disconnect'; edgeIds: string[] }
  /** Merges `params` into the node's params (or replaces them all with `replace`). */
  | { kind: 'updateParams'; id: string; params: Record<string, unknown>; replace?: boolean }
  | { kind: 'rename'; id: string; name: string }
  /** Adds copies with fresh ids/names; only edges between pasted nodes are kept. */
  | { kind: 'paste'; nodes: GraphNode[]; edges: GraphEdge[]; offset?: Position }
  | { kind: 'applyTemplate'; template: TemplateName; options?: TemplateOptions }
  | { kind: 'replaceGraph'; graph: ModelGraph }

/** Result of applying a change; on error the graph is returned unchanged. */
export interface ChangeResult {
  graph: ModelGraph
  error?: string
}

/** A new node of `type` with a fresh id, a unique Keras-style name and default params. */
export function createNode(graph: ModelGraph, type: LayerType, position: Position, params: Record<string, unknown> = {}): GraphNode {
  return { id: newNodeId(graph), type, name: newLayerName(graph, type), params: { ...defaultParams(type), ...params }, position: { ...position } }
}

const fail = (graph: ModelGraph, error: string): ChangeResult => ({ graph, error })

function connect(graph: ModelGraph, c: Extract<GraphChange, { kind: 'connect' }>): ChangeResult {
  const src = graph.nodes.find((n) => n.id === c.source)
  const dst = graph.nodes.find((n) => n.id === c.target)
  if (!src || !dst) return fail(graph, `Unknown layer '${!src ? c.source : c.target}'`)
  if (dst.type === 'Input') return fail(graph, `'${dst.name}' is an Input and can't receive connections`)
  if (c.source === c.target) return fail(graph, "A layer can't feed itself")
  if (graph.edges.some((e) => e.source === c.source && e.target === c.target)) {
    return fail(graph, `'${src.name}' is already connected to '${dst.name}'`)
  }
  if (wouldCreateCycle(graph, c.source, c.target)) {
    return fail(graph, `Connecting '${src.name}' → '${dst.name}' would create a cycle`)
  }
  let edges = graph.edges
  const incoming = edges.filter((e) => e.target === c.target)
  const max = CATALOG[dst.type].maxInputs
  if (max !== null && incoming.length >= max) {
    if (!c.replace) return fail(graph, `'${dst.name}' (${dst.type}) already has ${max === 1 ? 'an input' : `${max} inputs`}`)
    edges = edges.filter((e) => e.target !== c.target)
  }
  const id = c.id ?? newEdgeId(graph)
  if (graph.edges.some((e) => e.id === id)) return fail(graph, `Connection id '${id}' is already used`)
  const edge: GraphEdge = { id, source: c.source, target: c.target }
  if (max === null) {
    // Merge layers: append after the existing inputs unless a slot is given.
    edge.targetIndex = c.targetIndex ?? incoming.reduce((m, e) => Math.max(m, (e.targetIndex ?? -1) + 1), incoming.length)
  } else if (c.targetIndex !== undefined) {
    edge.targetIndex = c.targetIndex
  }
  return { graph: { ...graph, edges: [...edges, edge] } }
}

function spliceIntoEdge(graph: ModelGraph, c: Extract<GraphChange, { kind: 'spliceIntoEdge' }>): ChangeResult {
  const wire = graph.edges.find((e) => e.id === c.edgeId)
  const node = graph.nodes.find((n) => n.id === c.nodeId)
  if (!wire) return fail(graph, `Unknown connection '${c.edgeId}'`)
  if (!node) return fail(graph, `Unknown layer '${c.nodeId}'`)
  if (node.type === 'Input') return fail(graph, `'${node.name}' is an Input and can't go between two layers`)
  if (graph.edges.some((e) => e.source === node.id || e.target === node.id)) {
    return fail(graph, `'${node.name}' is already wired; only an unconnected layer can be put into a connection`)
  }
  const ids = new IdSource(graph.edges.map((e) => e.id), 'e')
  const into: GraphEdge = { id: ids.take(), source: wire.source, target: node.id }
  const out: GraphEdge = { id: ids.take(), source: node.id, target: wire.target }
  // The layer takes over the wire's slot at the target (matters for Add/Concatenate input order).
  if (wire.targetIndex !== undefined) out.targetIndex = wire.targetIndex
  const edges = graph.edges.flatMap((e) => (e.id === wire.id ? [into, out] : [e]))
  return { graph: { ...graph, edges } }
}

function paste(graph: ModelGraph, c: Extract<GraphChange, { kind: 'paste' }>): ChangeResult {
  const ids = new IdSource(graph.nodes.map((n) => n.id), 'n')
  const edgeIds = new IdSource(graph.edges.map((e) => e.id), 'e')
  const names = new NameSource(graph.nodes.map((n) => n.name))
  const offset = c.offset ?? { x: 40, y: 40 }
  const idMap = new Map<string, string>()
  const nodes = c.nodes.map((n) => {
    const id = ids.take()
    idMap.set(n.id, id)
    return {
      ...n,
      id,
      name: names.takeOrKeep(n.name),
      params: structuredCopy(n.params),
      position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
    }
  })
  const edges: GraphEdge[] = []
  for (const e of c.edges) {
    const source = idMap.get(e.source)
    const target = idMap.get(e.target)
    if (source === undefined || target === undefined) continue
    edges.push({ ...e, id: edgeIds.take(), source, target })
  }
  return { graph: { ...graph, nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] } }
}

/** Deep copy of plain JSON-like params (arrays and objects), so pasted nodes share nothing. */
function structuredCopy(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(params)) out[k] = Array.isArray(v) ? [...(v as unknown[])] : v
  return out
}

/** Applies one change; pure (the input graph is never mutated). */
export function applyChange(graph: ModelGraph, change: GraphChange): ChangeResult {
  switch (change.kind) {
    case 'addNode': {
      if (graph.nodes.some((n) => n.id === change.node.id)) return fail(graph, `Layer id '${change.node.id}' is already used`)
      if (graph.nodes.some((n) => n.name === change.node.name)) return fail(graph, `A layer named '${change.node.name}' already exists`)
      return { graph: { ...graph, nodes: [...graph.nodes, change.node] } }
    }
    case 'removeNodes': {
      const drop = new Set(change.ids)
      const dropEdges = new Set(change.edgeIds ?? [])
      if (!graph.nodes.some((n) => drop.has(n.id)) && !graph.edges.some((e) => dropEdges.has(e.id))) return { graph }
      return {
        graph: {
          ...graph,
          nodes: graph.nodes.filter((n) => !drop.has(n.id)),
          edges: graph.edges.filter((e) => !drop.has(e.source) && !drop.has(e.target) && !dropEdges.has(e.id)),
        },
      }
    }
    case 'spliceIntoEdge':
      return spliceIntoEdge(graph, change)
    case 'moveNodes': {
      const to = new Map(change.moves.map((m) => [m.id, m.position]))
      return { graph: { ...graph, nodes: graph.nodes.map((n) => (to.has(n.id) ? { ...n, position: { ...(to.get(n.id) as Position) } } : n)) } }
    }
    case 'connect':
      return connect(graph, change)
    case 'disconnect': {
      const drop = new Set(change.edgeIds)
      return { graph: { ...graph, edges: graph.edges.filter((e) => !drop.has(e.id)) } }
    }
    case 'updateParams': {
      const node = graph.nodes.find((n) => n.id === change.id)
      if (!node) return fail(graph, `Unknown layer '${change.id}'`)
      const params = change.replace ? { ...change.params } : { ...node.params, ...change.params }
      return { graph: { ...graph, nodes: graph.nodes.map((n) => (n === node ? { ...n, params } : n)) } }
    }
    case 'rename': {
      const node = graph.nodes.find((n) => n.id === change.id)
      if (!node) return fail(graph, `Unknown layer '${change.id}'`)
      if (!LAYER_NAME_PATTERN.test(change.name)) {
        return fail(graph, "Names may only use letters, digits, '_', '.', '-' and must start with a letter or digit")
      }
      if (graph.nodes.some((n) => n !== node && n.name === change.name)) return fail(graph, `A layer named '${change.name}' already exists`)
      return { graph: { ...graph, nodes: graph.nodes.map((n) => (n === node ? { ...n, name: change.name } : n)) } }
    }
    case 'paste':
      return paste(graph, change)
    case 'applyTemplate':
      return { graph: buildTemplate(change.template, change.options) }
    case 'replaceGraph':
      return { graph: change.graph }
  }
}

/**
 * When a connection is refused only because the target already has its input, the edit that
 * replaces that input instead (for the "replace it?" offer); null when it is refused for another reason or accepted.
 */
export function replacingConnect(graph: ModelGraph, change: Extract<GraphChange, { kind: 'connect' }>): Extract<GraphChange, { kind: 'connect' }> | null {
  if (change.replace || !applyChange(graph, change).error) return null
  const replaced = { ...change, replace: true }
  return applyChange(graph, replaced).error ? null : replaced
}

// --- history ---------------------------------------------------------------------------------

/** Undo/redo stacks around the current graph. */
export interface History {
  past: ModelGraph[]
  present: ModelGraph
  future: ModelGraph[]
}

/** Default number of undo steps kept. */
export const HISTORY_LIMIT = 200

/** A history with nothing to undo. */
export function createHistory(graph: ModelGraph): History {
  return { past: [], present: graph, future: [] }
}

/** Options for commit. */
export interface CommitOptions {
  /** Replace the present without a new undo step (e.g. the 2nd..nth move events of one drag). */
  coalesce?: boolean
  /** Max undo depth (default HISTORY_LIMIT). */
  limit?: number
}

/** Applies a change and records it; on error (or a no-op) the history is returned unchanged. */
export function commit(h: History, change: GraphChange, opts: CommitOptions = {}): { history: History; error?: string } {
  const r = applyChange(h.present, change)
  if (r.error !== undefined) return { history: h, error: r.error }
  if (r.graph === h.present) return { history: h }
  if (opts.coalesce) return { history: { ...h, present: r.graph, future: [] } }
  const limit = opts.limit ?? HISTORY_LIMIT
  const past = [...h.past, h.present]
  if (past.length > limit) past.splice(0, past.length - limit)
  return { history: { past, present: r.graph, future: [] } }
}

/** Steps back one change (no-op when there is nothing to undo). */
export function undo(h: History): History {
  if (h.past.length === 0) return h
  const past = h.past.slice(0, -1)
  return { past, present: h.past[h.past.length - 1] as ModelGraph, future: [h.present, ...h.future] }
}

/** Re-applies the last undone change (no-op when there is nothing to redo). */
export function redo(h: History): History {
  if (h.future.length === 0) return h
  return { past: [...h.past, h.present], present: h.future[0] as ModelGraph, future: h.future.slice(1) }
}

/** True if undo would do something. */
export const canUndo = (h: History): boolean => h.past.length > 0
/** True if redo would do something. */
export const canRedo = (h: History): boolean => h.future.length > 0
