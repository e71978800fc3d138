// Automatic layered layout (Sugiyama-style, simplified): longest-path layering, then a few
// barycenter sweeps to reduce edge crossings. Good enough for model graphs (mostly chains
// with some branches); no dependency on a layout library.
import type { GraphEdge, ModelGraph, Position } from './types'
import { indexGraph, topoSort } from './validate'

/** Layout options; sizes are in canvas units. */
export interface LayoutOptions {
  /** 'TB' = layers flow top to bottom (default), 'LR' = left to right. */
  direction?: 'TB' | 'LR'
  /** Distance between neighbouring nodes within one layer. */
  nodeSpacing?: number
  /** Distance between consecutive layers. */
  layerSpacing?: number
  /** Barycenter sweeps (down + up each); more = fewer crossings, slower. */
  sweeps?: number
}

/** Computes positions for every node; cycles are tolerated (cyclic nodes go last). */
export function computeLayout(graph: ModelGraph, opts: LayoutOptions = {}): Record<string, Position> {
  const nodeSpacing = opts.nodeSpacing ?? 220
  const layerSpacing = opts.layerSpacing ?? 110
  const sweeps = opts.sweeps ?? 4
  const index = indexGraph(graph)
  const { order, cyclic } = topoSort(graph, index)

  // Longest-path layering: a node sits one layer below its deepest input.
  const layerOf = new Map<string, number>()
  let maxLayer = 0
  for (const n of order) {
    let l = 0
    for (const e of index.incoming.get(n.id) as GraphEdge[]) l = Math.max(l, (layerOf.get(e.source) ?? -1) + 1)
    layerOf.set(n.id, l)
    maxLayer = Math.max(maxLayer, l)
  }
  for (const n of cyclic) layerOf.set(n.id, ++maxLayer)

  const layers: string[][] = Array.from({ length: maxLayer + 1 }, () => [])
  for (const n of [...order, ...cyclic]) (layers[layerOf.get(n.id) as number] as string[]).push(n.id)

  // Centered slot of each node within its layer; sweeps reorder layers by neighbour barycenters.
  const slot = new Map<string, number>()
  const place = (ids: string[]): void => ids.forEach((id, i) => slot.set(id, i - (ids.length - 1) / 2))
  layers.forEach(place)
  const reorder = (ids: string[], neighbours: (id: string) => string[]): void => {
    const bary = new Map<string, number>()
    for (const id of ids) {
      const ns = neighbours(id)
      bary.set(id, ns.length === 0 ? (slot.get(id) as number) : ns.reduce((s, x) => s + (slot.get(x) ?? 0), 0) / ns.length)
    }
    ids.sort((a, b) => (bary.get(a) as number) - (bary.get(b) as number))
    place(ids)
  }
  const preds = (id: string): string[] => (index.incoming.get(id) as GraphEdge[]).map((e) => e.source)
  const succs = (id: string): string[] => (index.outgoing.get(id) as GraphEdge[]).map((e) => e.target)
  for (let s = 0; s < sweeps; s++) {
    for (let l = 1; l < layers.length; l++) reorder(layers[l] as string[], preds)
    for (let l = layers.length - 2; l >= 0; l--) reorder(layers[l] as string[], succs)
  }

  const out: Record<string, Position> = {}
  const widest = Math.max(1, ...layers.map((l) => l.length))
  const center = ((widest - 1) / 2) * nodeSpacing
  for (const [id, l] of layerOf) {
    const across = Math.round(center + (slot.get(id) as number) * nodeSpacing)
    const along = l * layerSpacing
    out[id] = opts.direction === 'LR' ? { x: along, y: across } : { x: across, y: along }
  }
  return out
}

/** Returns a copy of the graph with every node moved to its auto-layout position. */
export function layoutGraph(graph: ModelGraph, opts: LayoutOptions = {}): ModelGraph {
  const pos = computeLayout(graph, opts)
  return { ...graph, nodes: graph.nodes.map((n) => ({ ...n, position: pos[n.id] ?? n.position })) }
}
