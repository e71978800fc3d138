import type { z } from 'zod'
import { AppError } from '../../../common/errors'

/** Where a stored JSON cell lives: named in the message when it is damaged. */
export interface JsonCell {
  table: string
  rowId: number | string
  column: string
  /** How the person knows the row ("Model "mnist" v3"); the table and id are named either way. */
  label?: string
}

/** Where a damaged cell lives, in words: `runs row 7, column config_json`. */
function place(cell: JsonCell): string {
  return `${cell.label ? `${cell.label} (${cell.table} row ${cell.rowId})` : `${cell.table} row ${cell.rowId}`}, column ${cell.column}`
}

/**
 * A stored JSON column parsed with the zod schema of what was written to it (the schemas in
 * common/), so a damaged or hand-edited cell is refused here, naming table, row and column (and the
 * field inside it), instead of failing somewhere downstream as a wrong type.
 */
export function parseStoredJson<S extends z.ZodType>(schema: S, text: string, cell: JsonCell): z.output<S> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    throw new AppError('db_corrupt', `The stored data is damaged at ${place(cell)}: not JSON (${(e as Error).message}).`, { ...cell })
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const i = parsed.error.issues[0]!
    const field = i.path.join('.') || '(whole value)'
    throw new AppError('db_corrupt', `The stored data is damaged at ${place(cell)}: field "${field}": ${i.message}.`, { ...cell, field })
  }
  return parsed.data
}

/**
 * parseStoredJson for lists, where one damaged cell must not hide every other row: the cell reads as
 * `fallback` and the named error goes to the log.
 */
export function parseStoredJsonOr<S extends z.ZodType, F>(schema: S, text: string, cell: JsonCell, fallback: F, log: (line: string) => void = (l) => console.warn(l)): z.output<S> | F {
  try {
    return parseStoredJson(schema, text, cell)
  } catch (e) {
    log(`[store] ${(e as Error).message}`)
    return fallback
  }
}
