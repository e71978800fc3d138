import type { ColumnInfo } from '../../../common/contract'
import type { CsvImportDraft } from '../store/datasetsSlice'
import { editDraft } from '../store/datasetsActions'
import { binText, numericStatsText } from './statsText'

const TYPES = ['integer', 'float', 'boolean', 'categorical', 'text', 'date', 'id']
const NUMERIC = new Set(['integer', 'float', 'date'])

function Histogram(props: { column: ColumnInfo; type: string }) {
  const h = props.column.stats.histogram
  if (!h) return null
  const counts = h.kind === 'numeric' ? h.counts : h.values.map((v) => v.count)
  const max = Math.max(1, ...counts)
  return (
    <div className="histogram" aria-label={`${props.column.name} distribution`}>
      {counts.map((c, i) => (
        <span key={i} style={{ height: `${(c / max) * 100}%` }} title={h.kind === 'numeric' ? `${binText(props.type, h.edges[i], h.edges[i + 1])}: ${c}` : `${h.values[i].value}: ${c}`} />
      ))}
    </div>
  )
}

/** Per column: role (feature, target, ignored), type, transform (tokens for text) and missing-value handling, with stats. */
export function ColumnPanel(props: { columns: ColumnInfo[]; draft: CsvImportDraft }) {
  const { draft } = props
  const setColumn = (name: string, p: Record<string, unknown>) => editDraft({ columns: { ...draft.columns, [name]: { ...draft.columns[name], ...p } } })
  return (
    <div className="column-panel" data-testid="column-panel">
      {props.columns.map((c) => {
        const role = draft.target === c.name ? 'target' : draft.ignore.includes(c.name) ? 'ignore' : 'feature'
        const type = draft.columnTypes[c.name] ?? c.type
        const numeric = NUMERIC.has(type)
        const text = type === 'text'
        const choice = draft.columns[c.name] ?? {}
        const s = c.stats
        return (
          <div key={c.name} className={`column-card role-${role}`} data-column={c.name}>
            <strong className="column-name" title={c.name}>
              {c.name}
            </strong>
            <div className="column-head">
              <select
                aria-label={`${c.name} role`}
                value={role}
                onChange={(e) => {
                  const r = e.target.value
                  const ignore = draft.ignore.filter((x) => x !== c.name)
                  if (r === 'target') editDraft({ target: c.name, ignore, task: undefined })
                  else if (r === 'ignore') editDraft({ ignore: [...ignore, c.name], target: draft.target === c.name ? null : draft.target })
                  else editDraft({ ignore, target: draft.target === c.name ? null : draft.target })
                }}
              >
                <option value="feature">feature</option>
                <option value="target">target</option>
                <option value="ignore">ignored</option>
              </select>
              <select aria-label={`${c.name} type`} value={type} onChange={(e) => editDraft({ columnTypes: { ...draft.columnTypes, [c.name]: e.target.value } })}>
                {TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                    {t === c.inferredType ? ' (detected)' : ''}
                  </option>
                ))}
              </select>
            </div>
            <div className="column-stats muted">
              {s.count} values · {s.missing} missing · {s.uniqueCapped ? '≥' : ''}
              {s.unique} unique
              {numeric && numericStatsText(type, s)}
              {!numeric && s.top.length > 0 && ` · top: ${s.top.slice(0, 3).map((t) => `${t.value} (${t.count})`).join(', ')}`}
            </div>
            <Histogram column={c} type={type} />
            {c.note && <div className="muted small-text">{c.note}</div>}
            {role === 'feature' && (
              <div className="column-transform">
                <select aria-label={`${c.name} transform`} value={draft.columns[c.name]?.transform ?? ''} onChange={(e) => setColumn(c.name, { transform: e.target.value || undefined })}>
                  <option value="">{text ? 'not used (ignored)' : 'default transform'}</option>
                  {(numeric ? ['standardize', 'minmax', 'none'] : text ? ['tokens'] : ['onehot', 'label']).map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
                {text && choice.transform === 'tokens' && (
                  <>
                    <label>
                      vocab size{' '}
                      <input type="number" min={3} aria-label={`${c.name} vocab size`} placeholder="10000" value={choice.vocabSize ?? ''} onChange={(e) => setColumn(c.name, { vocabSize: e.target.value === '' ? undefined : Number(e.target.value) })} />
                    </label>
                    <label>
                      sequence length{' '}
                      <input type="number" min={1} aria-label={`${c.name} sequence length`} placeholder="200" value={choice.sequenceLength ?? ''} onChange={(e) => setColumn(c.name, { sequenceLength: e.target.value === '' ? undefined : Number(e.target.value) })} />
                    </label>
                  </>
                )}
                <select aria-label={`${c.name} missing`} value={draft.columns[c.name]?.missing ?? ''} onChange={(e) => setColumn(c.name, { missing: e.target.value || undefined })}>
                  <option value="">default for missing</option>
                  {(numeric ? ['mean', 'median', 'mode', 'constant', 'drop'] : text ? ['drop'] : ['mode', 'constant', 'drop']).map((t) => (
                    <option key={t} value={t}>
                      {t === 'drop' ? 'drop rows' : `impute ${t}`}
                    </option>
                  ))}
                </select>
                {draft.columns[c.name]?.missing === 'constant' && (
                  <input aria-label={`${c.name} constant`} placeholder="value" value={String(draft.columns[c.name]?.constant ?? '')} onChange={(e) => setColumn(c.name, { constant: numeric && e.target.value !== '' && !Number.isNaN(Number(e.target.value)) ? Number(e.target.value) : e.target.value })} />
                )}
              </div>
            )}
          </div>
        )
      })}
    </div>
  )
}
