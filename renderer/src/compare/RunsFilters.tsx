import type { RunState } from '../../../common/contract'
import { useAppStore } from '../store'
import { setFilter } from '../store/compareActions'
import { NO_FILTER, hasFilter, toggleIn } from './tableQuery'
import { useDebouncedField } from './useDebounced'

/** The expression with the token the parser stumbled on marked, so the eye finds it at once. */
function MarkedExpression(props: { text: string; column: number | null; token: string | null }) {
  const { text, column, token } = props
  if (column === null || column < 1 || column > text.length + 1) return null
  const start = column - 1
  const len = Math.max(1, token?.length ?? 1)
  return (
    <code className="filter-echo" aria-hidden>
      {text.slice(0, start)}
      <mark>{text.slice(start, start + len) || ' '}</mark>
      {text.slice(start + len)}
    </code>
  )
}

/** The runs table's filters: status, tag, dataset, model, free-text search and a metric expression. */
export function RunsFilters() {
  const filter = useAppStore((s) => s.compare.filter)
  const facets = useAppStore((s) => s.compare.facets)
  const error = useAppStore((s) => s.compare.filterError)
  const [text, setText] = useDebouncedField(filter.text, (v) => void setFilter({ text: v }))
  const [expr, setExpr] = useDebouncedField(filter.expression, (v) => void setFilter({ expression: v }), 450)
  const states = [...new Set<RunState>([...(facets?.states.map((s) => s.state) ?? []), ...filter.states])]
  const count = (st: RunState) => facets?.states.find((s) => s.state === st)?.count ?? 0
  return (
    <div className="runs-filters" data-testid="runs-filters">
      <input type="search" aria-label="Search runs" placeholder="Search name, note, tag…" value={text} onChange={(e) => setText(e.target.value)} />
      <div className="expr-field">
        <input
          aria-label="Metric filter"
          placeholder="e.g. val_accuracy > 0.9 AND loss.last < 0.3"
          value={expr}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'filter-error' : undefined}
          onChange={(e) => setExpr(e.target.value)}
          spellCheck={false}
        />
        {error && (
          <div className="filter-error" id="filter-error" role="alert" data-testid="filter-error">
            <MarkedExpression text={filter.expression} column={error.column} token={error.token} />
            <span>{error.message}</span>
          </div>
        )}
      </div>
      <fieldset className="state-filter">
        <legend className="sr-only">Status</legend>
        {states.map((st) => (
          <label key={st} className={`chip state-${st}`}>
            <input type="checkbox" checked={filter.states.includes(st)} onChange={() => void setFilter({ states: toggleIn(filter.states, st) })} /> {st} <span className="muted">{count(st)}</span>
          </label>
        ))}
      </fieldset>
      <select aria-label="Tag filter" value={filter.tags[0] ?? ''} onChange={(e) => void setFilter({ tags: e.target.value ? [e.target.value] : [] })}>
        <option value="">any tag</option>
        {facets?.tags.map((t) => (
          <option key={t.tag} value={t.tag}>
            {t.tag} ({t.count})
          </option>
        ))}
      </select>
      <select aria-label="Dataset filter" value={filter.datasetIds[0] ?? ''} onChange={(e) => void setFilter({ datasetIds: e.target.value ? [Number(e.target.value)] : [] })}>
        <option value="">any dataset</option>
        {facets?.datasets.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name} ({d.count})
          </option>
        ))}
      </select>
      <select aria-label="Model filter" value={filter.modelIds[0] ?? ''} onChange={(e) => void setFilter({ modelIds: e.target.value ? [Number(e.target.value)] : [] })}>
        <option value="">any model</option>
        {facets?.models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name} ({m.count})
          </option>
        ))}
      </select>
      {hasFilter(filter) && (
        <button type="button" className="small" onClick={() => void setFilter(NO_FILTER)}>
          Clear filters
        </button>
      )}
    </div>
  )
}
