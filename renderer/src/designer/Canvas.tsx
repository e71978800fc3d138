import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react'
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react'
import { isLayerType, wouldCreateCycle, type InferResult, type Issue, type ModelGraph } from '../../../main/graph'
import { addLayer, currentGraph, edit, select } from '../store/designerActions'
import { LayerNode, sameLayerData, type LayerFlowNode } from './LayerNode'
import { LAYER_DRAG_TYPE } from './Palette'

const NODE_TYPES = { layer: LayerNode }

/**
 * Canvas nodes for the graph, reusing the previous object of every node that draws the same:
 * xyflow re-processes only nodes whose object changed, which keeps big graphs smooth.
 */
function toFlowNodes(
  graph: ModelGraph,
  inferred: InferResult,
  issuesByNode: Map<string, Issue[]>,
  selection: string[],
  previous: Map<string, LayerFlowNode>,
): LayerFlowNode[] {
  const selected = new Set(selection)
  const out = graph.nodes.map((layer): LayerFlowNode => {
    const data = { layer, info: inferred.nodes[layer.id], issues: issuesByNode.get(layer.id) ?? [] }
    const prev = previous.get(layer.id)
    const isSelected = selected.has(layer.id)
    if (prev && prev.selected === isSelected && prev.position === layer.position && sameLayerData(prev.data, data)) return prev
    return { id: layer.id, type: 'layer', position: layer.position, selected: isSelected, data }
  })
  previous.clear()
  for (const n of out) previous.set(n.id, n)
  return out
}

/**
 * The graph canvas. xyflow keeps node positions locally while dragging (smooth at hundreds of
 * nodes); the graph in the store changes once per finished drag, as one undo step.
 */
export function Canvas(props: { graph: ModelGraph; inferred: InferResult; selection: string[] }) {
  const { graph, inferred, selection } = props
  const flow = useReactFlow()
  // Fit once when opening a graph; an empty canvas keeps its viewport so drops land where they are let go.
  const [fitOnInit] = useState(graph.nodes.length > 0)
  const dragged = useRef(new Map<string, { x: number; y: number }>())
  const issuesByNode = useMemo(() => {
    const m = new Map<string, Issue[]>()
    for (const i of inferred.issues) if (i.nodeId) m.set(i.nodeId, [...(m.get(i.nodeId) ?? []), i])
    return m
  }, [inferred])
  const built = useRef(new Map<string, LayerFlowNode>())
  const [nodes, setNodes] = useState<LayerFlowNode[]>(() => toFlowNodes(graph, inferred, issuesByNode, selection, built.current))
  useEffect(() => setNodes(toFlowNodes(graph, inferred, issuesByNode, selection, built.current)), [graph, inferred, issuesByNode, selection])
  const edges = useMemo<Edge[]>(() => graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target })), [graph])

  const onNodesChange = useCallback(
    (changes: NodeChange<LayerFlowNode>[]) => {
      const selectionChanged = changes.some((c) => c.type === 'select')
      setNodes((nds) => {
        const next = applyNodeChanges(changes, nds)
        // Tell the store after React finishes this update (never set another store inside an updater).
        if (selectionChanged) queueMicrotask(() => select(next.filter((n) => n.selected).map((n) => n.id)))
        return next
      })
      // xyflow's drag-end change may omit the position, so the last position seen while dragging is kept.
      for (const c of changes) if (c.type === 'position' && c.position) dragged.current.set(c.id, c.position)
      const ended = changes.flatMap((c) => (c.type === 'position' && c.dragging === false ? [c.id] : []))
      const moves = ended.flatMap((id) => {
        const position = dragged.current.get(id)
        dragged.current.delete(id)
        return position ? [{ id, position }] : []
      })
      if (moves.length) edit({ kind: 'moveNodes', moves })
      const removed = changes.flatMap((c) => (c.type === 'remove' ? [c.id] : []))
      if (removed.length) edit({ kind: 'removeNodes', ids: removed })
    },
    [],
  )
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    // Edges of a deleted layer are already gone with it; only wires deleted on their own remain.
    const live = new Set(currentGraph().edges.map((e) => e.id))
    const removed = changes.flatMap((c) => (c.type === 'remove' && live.has(c.id) ? [c.id] : []))
    if (removed.length) edit({ kind: 'disconnect', edgeIds: removed })
  }, [])
  const onConnect = useCallback((c: Connection) => {
    edit({ kind: 'connect', source: c.source, target: c.target })
  }, [])
  // Refuse a cycle while the person is still dragging the wire, not after.
  const isValidConnection = useCallback(
    (c: Connection | Edge) => c.source !== c.target && !wouldCreateCycle(graph, c.source, c.target),
    [graph],
  )
  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault()
      const type = e.dataTransfer.getData(LAYER_DRAG_TYPE)
      if (!isLayerType(type)) return
      addLayer(type, flow.screenToFlowPosition({ x: e.clientX - 70, y: e.clientY - 20 }))
    },
    [flow],
  )
  return (
    <div className="canvas" data-testid="canvas" onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move' }} onDrop={onDrop}>
      <ReactFlow<LayerFlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        deleteKeyCode={['Delete', 'Backspace']}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        fitView={fitOnInit}
        fitViewOptions={{ maxZoom: 1 }}
        minZoom={0.1}
        onlyRenderVisibleElements={graph.nodes.length > 150}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} />
        <Controls />
        {graph.nodes.length > 12 && <MiniMap pannable zoomable />}
      </ReactFlow>
    </div>
  )
}
