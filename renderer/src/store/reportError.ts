import type { ErrorCode } from '../../../common/contract'
import { useAppStore } from './index'
import type { ReportedError } from './errorsSlice'

/** A failed bridge call's result, as the contract returns it. */
export interface Failure {
  code: ErrorCode
  message: string
  details?: unknown
}

/** At most this many reports stay on screen; older ones give way. */
export const MAX_REPORTED_ERRORS = 5

let nextId = 1

const named = (v: unknown): string | null => {
  if (v === null || typeof v !== 'object') return null
  const o = v as Record<string, unknown>
  for (const key of ['field', 'column']) if (typeof o[key] === 'string' && o[key]) return o[key] as string
  return null
}

/**
 * The field a failure names, from the shapes main puts in `details`: a list of zod issues
 * ({ field, message }[], invalid_input), { field } (a damaged stored cell), { column } (a filter
 * error) or { fields: [...] } (a try-it row). Null when it names none.
 */
export function failureField(details: unknown): string | null {
  if (Array.isArray(details)) return named(details[0])
  const own = named(details)
  if (own) return own
  const fields = (details as { fields?: unknown } | null | undefined)?.fields
  return Array.isArray(fields) ? named(fields[0]) : null
}

/**
 * The renderer's one error path (GitHub Desktop's dispatcher.postError is the model): a bridge call
 * whose failure no page shows in place reports it here, and the error reporter shows it, with its
 * code and the field it names, until the person dismisses it. Returns nothing, so a caller can
 * write `if (!res.ok) return reportFailure(…)`.
 */
export function reportFailure(action: string, failure: Failure): void {
  const report: ReportedError = { id: nextId++, action, code: failure.code, message: failure.message, field: failureField(failure.details) }
  useAppStore.setState((s) => {
    // The same failure again (a refresh that keeps failing) is one report, moved to the end.
    const others = s.errors.filter((e) => !(e.action === action && e.code === report.code && e.message === report.message))
    return { errors: [...others, report].slice(-MAX_REPORTED_ERRORS) }
  })
}

/** Removes one report (its dismiss button). */
export function dismissError(id: number): void {
  useAppStore.setState((s) => ({ errors: s.errors.filter((e) => e.id !== id) }))
}
