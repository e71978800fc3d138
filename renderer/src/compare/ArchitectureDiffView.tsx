import { useEffect } from 'react'
import type { LayerChange, LayerRef } from '../../../common/contract'
import { useAppStore } from '../store'
import { loadArchDiff } from '../store/compareActions'
import { formatValue } from './format'

const shape = (s: LayerRef['outputShape']): string => (s ? `[${s.map((d) => (d === null ? '?' : d)).join(', ')}]` : '?')
const signed = (n: number): string => (n > 0 ? `+${n.toLocaleString()}` : n.toLocaleString())

function ChangeRow(props: { c: LayerChange }) {
  const { c } = props
  const what: string[] = []
  if (c.renamed) what.push(`renamed ${c.a.name} → ${c.b.name}`)
  if (c.typeChanged) what.push(`type ${c.a.type} → ${c.b.type}`)
  for (const p of c.params) what.push(`${p.key}: ${formatValue(p.a)} → ${formatValue(p.b)}`)
  if (c.inputs.changed) what.push(`inputs ${c.inputs.a.join(', ') || '–'} → ${c.inputs.b.join(', ') || '–'}`)
  return (
    <tr className="arch-changed">
      <td>~</td>
      <td>
        {c.b.name} <span className="muted">{c.b.type}</span>
      </td>
      <td>{what.join('; ') || '–'}</td>
      <td className={c.outputShape.changed ? 'differs' : undefined}>{c.outputShape.changed ? `${shape(c.outputShape.a)} → ${shape(c.outputShape.b)}` : shape(c.outputShape.b)}</td>
      <td className="num">{c.paramCount.delta === 0 ? '0' : signed(c.paramCount.delta)}</td>
    </tr>
  )
}

/** What changed between two selected runs' model versions: layers added, removed and changed, with shape and parameter deltas. */
export function ArchitectureDiffView() {
  const selected = useAppStore((s) => s.compare.selected)
  const rows = useAppStore((s) => s.compare.selectedRows)
  const arch = useAppStore((s) => s.compare.arch)
  useEffect(() => {
    if (arch.result === null && arch.error === null) void loadArchDiff()
  }, [arch.runIdA, arch.runIdB, arch.result, arch.error])
  const name = (id: number) => rows[id]?.name ?? `run ${id}`
  const pick = (label: string, value: number | null, onChange: (id: number) => void) => (
    <label>
      {label}{' '}
      <select aria-label={`Architecture run ${label}`} value={value ?? ''} onChange={(e) => onChange(Number(e.target.value))}>
        {selected.map((id) => (
          <option key={id} value={id}>
            {name(id)}
          </option>
        ))}
      </select>
    </label>
  )
  if (selected.length < 2) return <p className="muted">Select two runs to diff their architectures.</p>
  const r = arch.result
  return (
    <div className="arch-diff" data-testid="arch-diff">
      <div className="compare-controls">
        {pick('A', arch.runIdA, (id) => void loadArchDiff(id, arch.runIdB))}
        {pick('B', arch.runIdB, (id) => void loadArchDiff(arch.runIdA, id))}
      </div>
      {arch.error && <div className="banner error">{arch.error}</div>}
      {!r && !arch.error && <p className="muted">Comparing…</p>}
      {r && (
        <>
          <p>
            {r.a.model.name} v{r.a.model.version} → {r.b.model.name} v{r.b.model.version}: {r.diff.added.length} added, {r.diff.removed.length} removed, {r.diff.changed.length} changed,{' '}
            {r.diff.unchanged} unchanged · parameters {r.diff.totals.a.toLocaleString()} → {r.diff.totals.b.toLocaleString()} ({signed(r.diff.totals.delta)})
          </p>
          {r.diff.added.length + r.diff.removed.length + r.diff.changed.length === 0 ? (
            <p className="muted" data-testid="arch-same">
              {r.a.model.versionId === r.b.model.versionId ? 'Both runs trained the same model version.' : 'The two model versions have the same layers.'}
            </p>
          ) : (
            <table className="compare-table">
              <thead>
                <tr>
                  <th />
                  <th>layer</th>
                  <th>change</th>
                  <th>output shape</th>
                  <th>Δ parameters</th>
                </tr>
              </thead>
              <tbody>
                {r.diff.removed.map((l) => (
                  <tr key={`r-${l.id}`} className="arch-removed">
                    <td>−</td>
                    <td>
                      {l.name} <span className="muted">{l.type}</span>
                    </td>
                    <td>removed</td>
                    <td>{shape(l.outputShape)}</td>
                    <td className="num">{signed(-l.params)}</td>
                  </tr>
                ))}
                {r.diff.added.map((l) => (
                  <tr key={`a-${l.id}`} className="arch-added">
                    <td>+</td>
                    <td>
                      {l.name} <span className="muted">{l.type}</span>
                    </td>
                    <td>added</td>
                    <td>{shape(l.outputShape)}</td>
                    <td className="num">{signed(l.params)}</td>
                  </tr>
                ))}
                {r.diff.changed.map((c) => (
                  <ChangeRow key={`c-${c.a.id}-${c.b.id}`} c={c} />
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  )
}
