import { useEffect, useState } from 'react'
import { checkParamValue, type ParamSpec } from '../../../common/graph'

function toText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.map((v) => (v === null ? '?' : String(v))).join(', ')
  return String(value)
}

function parse(spec: ParamSpec, text: string): unknown {
  const t = text.trim()
  if (spec.nullable && t === '') return null
  switch (spec.kind) {
    case 'int':
    case 'float':
      return t === '' ? NaN : Number(t)
    case 'intList':
      return t === '' ? [] : t.split(/[\s,x×]+/).filter(Boolean).map((p) => (p === '?' || p.toLowerCase() === 'none' ? null : Number(p)))
    default:
      return text
  }
}

/** One parameter input built from its catalog spec, validated as the person types. */
export function ParamField(props: { spec: ParamSpec; value: unknown; onCommit: (value: unknown) => void }) {
  const { spec, value, onCommit } = props
  const [text, setText] = useState(toText(value))
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    setText(toText(value))
    setError(null)
  }, [value])
  const id = `param-${spec.name}`
  if (spec.kind === 'bool') {
    return (
      <label className="param bool" title={spec.docs}>
        <input type="checkbox" checked={Boolean(value)} onChange={(e) => onCommit(e.target.checked)} /> {spec.name}
      </label>
    )
  }
  if (spec.kind === 'enum') {
    return (
      <label className="param" title={spec.docs} htmlFor={id}>
        <span>{spec.name}</span>
        <select id={id} value={String(value ?? '')} onChange={(e) => onCommit(e.target.value)}>
          {(spec.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
    )
  }
  const change = (next: string) => {
    setText(next)
    const parsed = parse(spec, next)
    const problem = checkParamValue(spec, parsed)
    setError(problem)
    if (!problem) onCommit(parsed)
  }
  return (
    <label className="param" title={spec.docs} htmlFor={id}>
      <span>{spec.name}</span>
      <input id={id} data-testid={id} value={text} aria-invalid={error ? true : undefined} onChange={(e) => change(e.target.value)} />
      {error && <em className="field-error">{error}</em>}
    </label>
  )
}
