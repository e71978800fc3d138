import { ReactFlowProvider, useReactFlow } from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import { useEffect, useMemo } from 'react'
import { inferGraph, listTemplates, type LayerType, type TemplateName } from '../../../common/graph'
import { useAppStore } from '../store'
import { useFadingMessage } from '../app/useFadingMessage'
import { acceptOffer, addLayer, clearDesignerMessage, currentGraph, loadModels, newModel } from '../store/designerActions'
import { Canvas } from './Canvas'
import { Inspector } from './Inspector'
import { Palette } from './Palette'
import { Toolbar } from './Toolbar'
import { useDesignerKeys } from './useDesignerKeys'

/** Double-clicked palette layers go below the selected layer and are wired to it. */
function addAfterSelection(type: LayerType): void {
  const { selection } = useAppStore.getState().designer
  const graph = currentGraph()
  const anchor = selection.length === 1 ? graph.nodes.find((n) => n.id === selection[0]) : undefined
  const lowest = graph.nodes.reduce((y, n) => Math.max(y, n.position.y), -100)
  const position = anchor ? { x: anchor.position.x, y: anchor.position.y + 110 } : { x: 0, y: lowest + 110 }
  addLayer(type, position, anchor?.id)
}

function EmptyCanvasHint() {
  const flow = useReactFlow()
  return (
    <div className="canvas-hint" data-testid="designer-empty">
      <h2>Drag a layer here to start</h2>
      <p>Begin with an Input layer, or start from a template:</p>
      <div className="template-buttons">
        {listTemplates().map((t) => (
          <button key={t.name} type="button" title={t.description} onClick={() => {
              newModel(t.name as TemplateName, t.title)
              setTimeout(() => flow.fitView({ maxZoom: 1 }), 0)
            }}>
            {t.title}
          </button>
        ))}
      </div>
    </div>
  )
}

/** The Designer: palette, canvas with live shape inference, inspector, toolbar. */
export function DesignerPage() {
  useDesignerKeys()
  const graph = useAppStore((s) => s.designer.history.present)
  const selection = useAppStore((s) => s.designer.selection)
  const message = useAppStore((s) => s.designer.message)
  const fading = useFadingMessage(message, clearDesignerMessage, { keep: Boolean(message?.offer) })
  const binding = useAppStore((s) => s.designer.binding)
  // Bound to a dataset: the output head is judged against its classes, and a model that no longer fits it is a problem.
  const inferred = useMemo(
    () => inferGraph(graph, binding ? { classCount: binding.shape.kind === 'classification' ? binding.shape.classCount : undefined, data: { shape: binding.shape, label: binding.label } } : {}),
    [graph, binding],
  )
  useEffect(() => void loadModels(), [])
  return (
    <ReactFlowProvider>
      <section className="designer" data-testid="section-designer">
        <h1 className="sr-only">Designer</h1>
        <Toolbar />
        {message && (
          <div role={message.kind === 'error' ? 'alert' : 'status'} className={`designer-message ${message.kind}${fading ? ' fading' : ''}`} data-testid="designer-message">
            {message.text}
            {message.offer && (
              <button type="button" className="small offer" data-testid="designer-offer" onClick={acceptOffer}>
                {message.offer.label}
              </button>
            )}
          </div>
        )}
        <div className="designer-body">
          <Palette onAdd={addAfterSelection} />
          <div className="canvas-wrap">
            <Canvas graph={graph} inferred={inferred} selection={selection} />
            {graph.nodes.length === 0 && <EmptyCanvasHint />}
          </div>
          <Inspector graph={graph} inferred={inferred} selection={selection} />
        </div>
      </section>
    </ReactFlowProvider>
  )
}
