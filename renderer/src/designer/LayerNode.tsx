import { Handle, Position, type Node, type NodeProps } from '@xyflow/react'
import { memo } from 'react'
import { describeShape, type GraphNode, type Issue, type NodeInfo } from '../../../common/graph'
import { compact } from './format'

/** What a canvas node shows: the layer, what inference found for it, and its issues. */
export type LayerNodeData = { layer: GraphNode; info: NodeInfo | undefined; issues: Issue[] }
/** The canvas node type of a layer. */
export type LayerFlowNode = Node<LayerNodeData, 'layer'>

const issueKey = (issues: Issue[]) => issues.map((i) => i.code + i.message).join('|')

// Inference returns fresh objects on every edit; comparing what is drawn keeps the other
// 299 layers from re-rendering when one moves or changes.
function sameDrawing(a: NodeProps<LayerFlowNode>, b: NodeProps<LayerFlowNode>): boolean {
  return a.selected === b.selected && sameLayerData(a.data, b.data)
}

/** True when two node data objects draw the same (same layer, shape, parameter count and issues). */
export function sameLayerData(x: LayerNodeData, y: LayerNodeData): boolean {
  return (
    x.layer === y.layer &&
    describeShape(x.info?.outputShape ?? null) === describeShape(y.info?.outputShape ?? null) &&
    (x.info?.params.trainable ?? 0) + (x.info?.params.nonTrainable ?? 0) === (y.info?.params.trainable ?? 0) + (y.info?.params.nonTrainable ?? 0) &&
    issueKey(x.issues) === issueKey(y.issues)
  )
}

/** One layer on the canvas: type, name, output shape, parameter count and an issue badge. */
export const LayerNode = memo(function LayerNode({ data, selected }: NodeProps<LayerFlowNode>) {
  const { layer, info, issues } = data
  const errors = issues.filter((i) => i.severity === 'error')
  const level = errors.length ? 'error' : issues.length ? 'warning' : 'ok'
  const params = info ? info.params.trainable + info.params.nonTrainable : 0
  return (
    <div className={`layer-node ${level}${selected ? ' selected' : ''}`} data-testid="layer-node" data-layer-type={layer.type} data-layer-name={layer.name}>
      {layer.type !== 'Input' && <Handle type="target" position={Position.Top} />}
      <div className="layer-head">
        <span className="layer-type">{layer.type}</span>
        {level !== 'ok' && (
          <span className={`badge ${level}`} title={issues.map((i) => `${i.code}: ${i.message}${i.fix ? ` (fix: ${i.fix})` : ''}`).join('\n')}>
            {errors.length || issues.length}
          </span>
        )}
      </div>
      <div className="layer-name">{layer.name}</div>
      <div className="layer-meta">
        <span data-testid="layer-shape">{describeShape(info?.outputShape ?? null)}</span>
        {params > 0 && <span>{compact(params)} params</span>}
      </div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  )
}, sameDrawing)
