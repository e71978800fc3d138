import { useState, type ReactNode } from 'react'

/**
 * A value that turns into a text field on click (or Enter on its button): Enter or leaving the
 * field saves, Escape cancels. `onSave` resolves false to keep the field open (a refused value).
 */
export function EditableText(props: { value: string; label: string; display?: ReactNode; placeholder?: string; maxLength?: number; onSave: (v: string) => Promise<boolean> }) {
  const [draft, setDraft] = useState<string | null>(null)
  const save = async () => {
    if (draft === null) return
    if (draft === props.value) return setDraft(null)
    if (await props.onSave(draft)) setDraft(null)
  }
  if (draft === null) {
    return (
      <button type="button" className="editable" aria-label={`Edit ${props.label}`} title={`Edit ${props.label}`} onClick={() => setDraft(props.value)}>
        {props.display ?? (props.value || <span className="muted">{props.placeholder ?? '—'}</span>)}
      </button>
    )
  }
  return (
    <input
      className="editable-input"
      aria-label={props.label}
      autoFocus
      value={draft}
      maxLength={props.maxLength}
      placeholder={props.placeholder}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => void save()}
      onKeyDown={(e) => {
        if (e.key === 'Enter') void save()
        else if (e.key === 'Escape') setDraft(null)
      }}
    />
  )
}
