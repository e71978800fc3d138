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
  type OnDelete,
} from '@xyflow/react'
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react'
import { isLayerType, wouldCreateCycle, type InferResult, type Issue, type ModelGraph } from '../../../common/graph'
import { addLayer, addLayerIntoEdge, connectLayers, deleteElements, edit, select, spliceExisting } from '../store/designerActions'
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

/** The wire under a screen point (its interaction stroke is wide enough to aim at), if any. */
function edgeAt(x: number, y: number, skip: Set<string> = new Set()): string | null {
  for (const el of document.elementsFromPoint(x, y)) {
    const id = el.closest('.react-flow__edge')?.getAttribute('data-id')
    if (id && !skip.has(id)) return id
  }
  return null
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
  // Which wires are selected is canvas state (a wire has no properties to edit); it only matters for Delete.
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set())
  const [dropEdge, setDropEdge] = useState<string | null>(null)
  const edges = useMemo<Edge[]>(
    () => graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, selected: selectedEdges.has(e.id), className: e.id === dropEdge ? 'drop-target' : undefined })),
    [graph, selectedEdges, dropEdge],
  )

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
      // Removals arrive through onDelete, together with the wires, so one delete is one undo step.
    },
    [],
  )
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const picks = changes.flatMap((c) => (c.type === 'select' ? [c] : []))
    if (!picks.length) return
    setSelectedEdges((cur) => {
      const next = new Set(cur)
      for (const c of picks) {
        if (c.selected) next.add(c.id)
        else next.delete(c.id)
      }
      return next
    })
  }, [])
  const onDelete = useCallback<OnDelete<LayerFlowNode, Edge>>(({ nodes: gone, edges: cut }) => {
    deleteElements(
      gone.map((n) => n.id),
      cut.map((e) => e.id),
    )
    setSelectedEdges(new Set())
  }, [])
  const onConnect = useCallback((c: Connection) => connectLayers(c.source, c.target), [])
  // A layer without wires dropped onto a wire goes into it.
  const onNodeDragStop = useCallback(
    (e: MouseEvent | TouchEvent, node: LayerFlowNode) => {
      if (graph.edges.some((w) => w.source === node.id || w.target === node.id)) return
      const point = 'changedTouches' in e ? e.changedTouches[0] : e
      const wire = point ? edgeAt(point.clientX, point.clientY) : null
      if (wire) spliceExisting(node.id, wire, node.position)
    },
    [graph],
  )
  // Refuse a cycle while the person is still dragging the wire, not after.
  const isValidConnection = useCallback(
    (c: Connection | Edge) => c.source !== c.target && !wouldCreateCycle(graph, c.source, c.target),
    [graph],
  )
  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault()
      const type = e.dataTransfer.getData(LAYER_DRAG_TYPE)
      setDropEdge(null)
      if (!isLayerType(type)) return
      const position = flow.screenToFlowPosition({ x: e.clientX - 70, y: e.clientY - 20 })
      const wire = edgeAt(e.clientX, e.clientY)
      if (wire) addLayerIntoEdge(type, position, wire)
      else addLayer(type, position)
    },
    [flow],
  )
  const onDragOver = useCallback((e: DragEvent) => {
    e.preventDefault()
    e.dataTransfer.dropEffect = 'move'
    // Show which wire a palette layer would go into.
    setDropEdge(edgeAt(e.clientX, e.clientY))
  }, [])
  return (
    <div className={dropEdge ? 'canvas drop-on-wire' : 'canvas'} data-testid="canvas" data-drop-edge={dropEdge ?? undefined} onDragOver={onDragOver} onDragLeave={() => setDropEdge(null)} onDrop={onDrop}>
      <ReactFlow<LayerFlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onDelete={onDelete}
        onNodeDragStop={onNodeDragStop}
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
