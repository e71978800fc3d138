import { badInput } from '../errors'

/** Where a record came from, for messages: "line 7" (JSON Lines) or "record 7" (JSON, Parquet). */
export type RecordPlace = string

/**
 * Flattens one record into dotted names and cell text, the way a CSV cell would be written:
 * nested objects become "a.b" columns; null and missing are empty (missing); numbers, booleans,
 * big integers and dates are written as text the typing rules read back (dates as ISO 8601);
 * a list is refused with the field named (lists have no column shape).
 */
export function flattenRecord(file: string, place: RecordPlace, value: unknown, out: Map<string, string>, prefix = ''): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date || ArrayBuffer.isView(value)) {
    throw badInput(file, `${place} is ${describe(value)}, not a record (an object of named fields)`)
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const name = prefix + k
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !ArrayBuffer.isView(v)) {
      flattenRecord(file, place, v, out, `${name}.`)
      continue
    }
    out.set(name, cellText(file, place, name, v))
  }
}

/** One value as cell text ('' for missing). */
export function cellText(file: string, place: RecordPlace, name: string, v: unknown): string {
  if (v === null || v === undefined) return ''
  switch (typeof v) {
    case 'string':
      return v
    case 'number':
      return Number.isFinite(v) ? String(v) : ''
    case 'bigint':
      return v.toString()
    case 'boolean':
      return v ? 'true' : 'false'
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString()
  if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')
  if (Array.isArray(v)) throw badInput(file, `${place}: field "${name}" holds a list; lists cannot be a column (flatten them into fields, or leave the field out)`)
  throw badInput(file, `${place}: field "${name}" holds ${describe(v)}, which cannot be a column`)
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`
}
