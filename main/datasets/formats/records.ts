import type { Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type SchemaTree } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { badInput, throwIfAborted } from '../errors'
import type { PassConfig, PassHandlers, PassResult } from '../csv/pass'
import { readText } from '../csv/source'
import type { SourceFormat } from './detect'
import { cellText, flattenRecord } from './flatten'

/** Rows of a Parquet file decoded at a time (bounds memory on big row groups). */
const PARQUET_BATCH_ROWS = 8192

/** Called with each record and its 1-based line (JSON Lines) or record number; false stops the read. */
type Visit = (value: unknown, place: number) => boolean | void

/**
 * Reads a JSON, JSON Lines or Parquet file into the same header and string rows a CSV pass
 * gives, so preview, typing, recipe, split and chunk storage stay one path. Nested objects
 * become dotted columns; lists are refused with the field named. JSON and JSON Lines are read
 * twice (the first read collects every field name, in order of first appearance), and so is
 * Parquet, whose schema gives the columns first and refuses lists and maps up front. A record that is not an object, or a line that is not JSON,
 * fails the read naming its line.
 */
export async function runRecordPass(cfg: PassConfig, handlers: PassHandlers, src: SourceFormat): Promise<PassResult> {
  const file = cfg.path
  const placeText = (n: number): string => (src.format === 'jsonl' ? `line ${n}` : `record ${n}`)
  // Every field name, in order of first appearance (Parquet's schema first, so a column that is
  // always null is still a column); JSON-typed Parquet columns are objects, flattened like JSON.
  const seen = new Set<string>(src.format === 'parquet' ? await parquetColumns(file) : [])
  const collect = new Map<string, string>()
  const each = (visit: Visit, hash?: Hash): Promise<void> => (src.format === 'parquet' ? eachParquetRecord(cfg, visit) : eachJsonRecord(cfg, src, hash, visit))
  await each((v, n) => {
    collect.clear()
    flattenRecord(file, placeText(n), v, collect)
    for (const k of collect.keys()) seen.add(k)
  })
  const names = [...seen]
  if (names.length === 0) throw badInput(file, 'has no records with fields')
  let place = 0
  const lineOf = (): number => place
  handlers.begin?.(lineOf)
  handlers.header(names)
  let rows = 0
  let stopped = false
  const cells = new Map<string, string>()
  const visit: Visit = (v, n) => {
    place = n
    cells.clear()
    flattenRecord(file, placeText(n), v, cells)
    const row = names.map((k) => cells.get(k) ?? '')
    rows++
    if (handlers.row(row, lineOf) === false) {
      stopped = true
      return false
    }
  }
  const hash = cfg.hash
  await each(visit, hash)
  if (src.format === 'parquet' && !stopped && hash) await hashFile(file, hash)
  return { rows, blankLines: 0, badRows: { total: 0, rows: [] }, bytesRead: cfg.fileBytes, partial: stopped }
}

/** Column names of a Parquet file: leaf columns, struct fields dotted; lists and maps are refused by name. */
export async function parquetColumns(file: string): Promise<string[]> {
  const meta = await parquetMetadataAsync(await asyncBufferFromFile(file)).catch((e: Error) => {
    throw badInput(file, `is not a readable Parquet file (${e.message})`)
  })
  const out: string[] = []
  const walk = (t: SchemaTree, prefix: string): void => {
    for (const c of t.children) {
      const name = prefix + c.element.name
      const lt = c.element.logical_type?.type
      const ct = c.element.converted_type
      if (c.element.repetition_type === 'REPEATED' || lt === 'LIST' || lt === 'MAP' || ct === 'LIST' || ct === 'MAP' || ct === 'MAP_KEY_VALUE') {
        throw badInput(file, `field "${name}" is a list or map; lists cannot be a column (leave the field out, or flatten it before exporting)`)
      }
      if (c.children.length > 0) walk(c, `${name}.`)
      // A JSON column holds objects: its dotted fields come from the values.
      else if (ct !== 'JSON') out.push(name)
    }
  }
  walk(parquetSchema(meta), '')
  return out
}

async function eachParquetRecord(cfg: PassConfig, visit: Visit): Promise<void> {
  const file = await asyncBufferFromFile(cfg.path)
  const metadata = await parquetMetadataAsync(file)
  const total = Number(metadata.num_rows)
  for (let start = 0; start < total; start += PARQUET_BATCH_ROWS) {
    throwIfAborted(cfg.signal, cfg.path)
    const end = Math.min(total, start + PARQUET_BATCH_ROWS)
    let batch: Record<string, unknown>[]
    try {
      batch = (await parquetReadObjects({ file, metadata, compressors, rowStart: start, rowEnd: end })) as Record<string, unknown>[]
    } catch (e) {
      throw badInput(cfg.path, `rows ${start + 1} to ${end} cannot be read (${(e as Error).message})`)
    }
    for (let i = 0; i < batch.length; i++) if (visit(batch[i], start + i + 1) === false) return
    cfg.onBytes?.(Math.round((cfg.fileBytes * end) / Math.max(1, total)))
  }
}

/** Feeds each record of a JSON array or JSON Lines file to visit (hashing the file's bytes when asked). */
async function eachJsonRecord(cfg: PassConfig, src: SourceFormat, hash: Hash | undefined, visit: Visit): Promise<void> {
  const o = { encoding: 'utf-8' as const, bomLength: 0, strict: false, gzip: src.gzip, signal: cfg.signal, hash, onBytes: cfg.onBytes }
  if (src.format === 'json') {
    const parts: string[] = []
    await readText(cfg.path, o, (t) => {
      parts.push(t)
    })
    const text = parts.join('').replace(/^\uFEFF/, '')
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (e) {
      throw badInput(cfg.path, `is not valid JSON${jsonErrorLine(text, (e as Error).message)}`)
    }
    const records = recordList(cfg.path, value)
    for (let i = 0; i < records.length; i++) if (visit(records[i], i + 1) === false) return
    return
  }
  let rest = ''
  let line = 0
  let stop = false
  const take = (l: string): void => {
    line++
    const t = l.replace(/\r$/, '').replace(/^\uFEFF/, '')
    if (t.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(t)
    } catch (e) {
      throw badInput(cfg.path, `line ${line} is not valid JSON (${(e as Error).message})`)
    }
    if (visit(value, line) === false) stop = true
  }
  await readText(cfg.path, o, (t) => {
    const text = rest + t
    let from = 0
    for (let nl = text.indexOf('\n'); nl >= 0 && !stop; nl = text.indexOf('\n', from)) {
      take(text.slice(from, nl))
      from = nl + 1
    }
    rest = text.slice(from)
    return !stop
  })
  if (!stop && rest.length > 0) take(rest)
}

/** The records of a parsed JSON file: an array of objects, or an object whose one list field holds them. */
function recordList(file: string, value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  if (value !== null && typeof value === 'object') {
    const lists = Object.entries(value).filter(([, v]) => Array.isArray(v))
    if (lists.length === 1) return lists[0][1] as unknown[]
    throw badInput(file, `holds one JSON object, not an array of records${lists.length > 1 ? ` (it has ${lists.length} lists: ${lists.map(([k]) => `"${k}"`).join(', ')}; which one is the table is unclear)` : ''}`)
  }
  throw badInput(file, `holds ${cellText(file, 'the file', '', value) || 'null'}, not an array of records`)
}

/** " (line N: message)" for a JSON.parse error that names a position. */
function jsonErrorLine(text: string, message: string): string {
  const m = /position (\d+)/.exec(message)
  if (!m) return ` (${message})`
  const pos = Number(m[1])
  let line = 1
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++
  return ` (line ${line}: ${message})`
}

async function hashFile(path: string, hash: Hash): Promise<void> {
  for await (const b of createReadStream(path)) hash.update(b as Buffer)
}
