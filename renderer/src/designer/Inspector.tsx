import { useState } from 'react'
import { CATALOG, describeShape, type InferResult, type Issue, type ModelGraph } from '../../../common/graph'
import { edit, insertBetween, select } from '../store/designerActions'
import { compact } from './format'
import { ParamField } from './ParamField'

/** The quick fix an issue offers as a button, when there is a mechanical one. */
function quickFix(issue: Issue, graph: ModelGraph): { label: string; run: () => void } | null {
  if (issue.code !== 'E007' || !issue.nodeId) return null
  const incoming = graph.edges.find((e) => e.target === issue.nodeId)
  if (!incoming) return null
  return { label: 'Insert Flatten', run: () => void insertBetween('Flatten', incoming.source, incoming.target) }
}

function IssueList(props: { issues: Issue[]; graph: ModelGraph }) {
  if (!props.issues.length) return <p className="muted" data-testid="no-issues">No problems found.</p>
  return (
    <ul className="issues" data-testid="issues">
      {props.issues.map((i, k) => {
        const fix = quickFix(i, props.graph)
        return (
          <li key={k} className={i.severity} data-code={i.code}>
            <button type="button" className="link" onClick={() => i.nodeId && select([i.nodeId])}>
              <strong>{i.code}</strong> {i.message}
            </button>
            {i.fix && <div className="muted">Fix: {i.fix}</div>}
            {fix && (
              <button type="button" className="small" onClick={fix.run}>
                {fix.label}
              </button>
            )}
          </li>
        )
      })}
    </ul>
  )
}

function NameField(props: { id: string; name: string }) {
  const [draft, setDraft] = useState<string | null>(null)
  return (
    <label className="param">
      <span>name</span>
      <input
        value={draft ?? props.name}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => {
          if (draft !== null && draft !== props.name) edit({ kind: 'rename', id: props.id, name: draft })
          setDraft(null)
        }}
        onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
      />
    </label>
  )
}

/** The right panel: the selected layer's properties, the model totals and every issue. */
export function Inspector(props: { graph: ModelGraph; inferred: InferResult; selection: string[] }) {
  const { graph, inferred, selection } = props
  const node = selection.length === 1 ? graph.nodes.find((n) => n.id === selection[0]) : undefined
  const info = node ? inferred.nodes[node.id] : undefined
  const spec = node ? CATALOG[node.type] : undefined
  const t = inferred.totals
  return (
    <aside className="inspector" aria-label="Inspector">
      {node && spec ? (
        <section data-testid="properties">
          <h3>
            {node.type} <span className="muted">{describeShape(info?.outputShape ?? null)}</span>
          </h3>
          <p className="muted small-text">{spec.docs}</p>
          <NameField key={node.id} id={node.id} name={node.name} />
          {spec.params.map((p) => (
            <ParamField key={`${node.id}-${p.name}`} spec={p} value={node.params[p.name] ?? p.default} onCommit={(v) => edit({ kind: 'updateParams', id: node.id, params: { [p.name]: v } })} />
          ))}
          {info && (
            <p className="muted">
              {compact(info.params.trainable)} trainable, {compact(info.params.nonTrainable)} non-trainable params · {compact(info.macs)} MACs
            </p>
          )}
        </section>
      ) : (
        <p className="muted">{selection.length > 1 ? `${selection.length} layers selected.` : 'Select a layer to edit it. Click a wire and press Delete to remove it; drop a layer onto a wire to put it in between.'}</p>
      )}
      <section data-testid="model-summary">
        <h3>Model</h3>
        <dl>
          <dt>Layers</dt>
          <dd>{graph.nodes.length}</dd>
          <dt>Trainable params</dt>
          <dd data-testid="total-trainable">{t.trainable.toLocaleString('en-US')}</dd>
          <dt>Non-trainable</dt>
          <dd>{t.nonTrainable.toLocaleString('en-US')}</dd>
          <dt>Multiply-adds / sample</dt>
          <dd>{compact(t.macs)}</dd>
        </dl>
      </section>
      <section>
        <h3>Problems</h3>
        <IssueList issues={inferred.issues} graph={graph} />
      </section>
    </aside>
  )
}
