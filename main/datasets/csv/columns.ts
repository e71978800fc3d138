import { badInput } from '../errors'
import type { ColumnSchema, ColumnStorage, ColumnType } from '../../../common/datasets/types'
import type { ColumnProfile, RuledOut } from './profile'
import { decideType } from '../../../common/datasets/typing'

/** Header names made usable: trimmed, blanks named column_N, repeats suffixed _2, _3. */
export function cleanHeader(raw: readonly string[]): string[] {
  const used = new Set<string>()
  return raw.map((h, i) => {
    const base = h.trim() || `column_${i + 1}`
    let name = base
    for (let k = 2; used.has(name); k++) name = `${base}_${k}`
    used.add(name)
    return name
  })
}

/** Names for a file without a header: column_1, column_2, ... */
export function defaultHeader(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `column_${i + 1}`)
}

/** Where a column's values are kept in the chunks. */
export function storageFor(type: ColumnType): ColumnStorage {
  return type === 'categorical' ? 'i32' : type === 'text' || type === 'id' ? null : 'f32'
}

function quote(r: RuledOut, what: string): string {
  const v = r.value.length > 40 ? `${r.value.slice(0, 40)}…` : r.value
  const zeros = /^[+-]?0\d/.test(r.value) ? ' (a leading zero keeps it text)' : ''
  return `line ${r.line} has "${v}", which is not ${what}${zeros}`
}

/** Checks that every overridden column exists; the message lists the real names. */
export function checkOverrides(file: string, names: readonly string[], overrides: Readonly<Record<string, ColumnType>>): void {
  for (const k of Object.keys(overrides)) {
    if (!names.includes(k)) throw badInput(file, `column type given for "${k}", which is not a column (columns: ${names.join(', ')})`)
  }
}

/**
 * Settles each column's type from its pass-1 profile (rules in typing.ts) and the caller's
 * overrides, with the categories of categorical columns (most frequent first) and a note saying
 * why a column that looked numeric or like dates is not.
 */
export function decideColumns(file: string, names: readonly string[], profiles: readonly ColumnProfile[], overrides: Readonly<Record<string, ColumnType>>): ColumnSchema[] {
  return names.map((name, index) => {
    const p = profiles[index]
    const inferredType = decideType(p.evidence())
    const type = overrides[name] ?? inferredType
    const col: ColumnSchema = { index, name, type, inferredType, storage: storageFor(type) }
    if (type === 'categorical') {
      if (p.distinct === null) throw badInput(file, `column "${name}" has more than 1,000 distinct values, too many to be categorical`)
      col.categories = [...p.distinct.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k]) => k)
    }
    if (type !== 'integer' && type !== 'float' && type !== 'boolean' && p.numbersSeen > 0 && p.notNumber) col.note = quote(p.notNumber, 'a number')
    else if (type !== 'date' && p.datesSeen > 0 && p.notDate) col.note = quote(p.notDate, 'an ISO date')
    if (type !== inferredType) col.note = `${type} by choice (inferred ${inferredType}${col.note ? `: ${col.note}` : ''})`
    return col
  })
}
