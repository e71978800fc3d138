// Shared helpers for graph tests: tiny graph builder and a normalized view for comparisons.
import { withDefaults } from '../../common/graph/catalog'
import { inferGraph } from '../../common/graph/infer'
import type { GraphEdge, GraphNode, LayerType, ModelGraph } from '../../common/graph/types'

/** Node spec for `g`: [id, type, params?, name?]. */
export type NodeSpec = [string, string, Record<string, unknown>?, string?]

/** Builds a graph from short specs; edges are [source, target] (targetIndex = order among a target's inputs when >1). */
export function g(nodes: NodeSpec[], edges: [string, string][] = []): ModelGraph {
  const ns: GraphNode[] = nodes.map(([id, type, params, name]) => ({
    id,
    type: type as LayerType,
    name: name ?? id,
    params: params ?? {},
    position: { x: 0, y: 0 },
  }))
  const es: GraphEdge[] = edges.map(([source, target], i) => ({ id: `e${i + 1}`, source, target }))
  return { formatVersion: 1, nodes: ns, edges: es }
}

/**
 * Id/position-free view of a graph: nodes by name with defaults filled, edges by names.
 * Reshape target shapes are shown resolved (export writes -1 resolved; see toTfjs.ts).
 */
export function normalize(graph: ModelGraph): { nodes: unknown[]; edges: string[] } {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]))
  const shapes = inferGraph(graph).nodes
  const nodes = [...graph.nodes]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((n) => {
      const params = withDefaults(n.type, n.params)
      if (n.type === 'Reshape' && shapes[n.id]?.outputShape) params.targetShape = shapes[n.id]?.outputShape
      return { name: n.name, type: n.type, params }
    })
  const incoming = new Map<string, GraphEdge[]>()
  for (const e of graph.edges) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e])
  const edges: string[] = []
  for (const [target, list] of incoming) {
    const sorted = [...list].sort((a, b) => (a.targetIndex ?? Infinity) - (b.targetIndex ?? Infinity))
    sorted.forEach((e, i) => edges.push(`${byId.get(e.source)?.name}->${byId.get(target)?.name}#${list.length > 1 ? i : 0}`))
  }
  edges.sort()
  return { nodes, edges }
}
