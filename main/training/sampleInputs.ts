import type { Database } from 'better-sqlite3'
import { decodeChunk, TextColumn } from '../datasets/chunks/format'
import { storageKinds, type ColumnSchema } from '../../common/datasets/types'
import type { DatasetVersionRecord } from '../store/queries/datasets'
import type { SampleInput } from '../../common/training/inferenceTypes'
import { chunkRanges, getChunk } from '../store/queries/datasets'

/** Longest side of an image sent to the predictions view; bigger ones are downscaled (nearest). */
export const THUMBNAIL_MAX_SIDE = 96

const DAY_MS = 86_400_000

/** A stored tabular cell as the person would read it: category text, a number, an ISO date, or null when missing. */
function cellValue(col: ColumnSchema, v: number): string | number | null {
  if (col.storage === 'i32') return v < 0 ? null : (col.categories?.[v] ?? null)
  if (Number.isNaN(v)) return null
  if (col.type === 'date') return new Date(v * DAY_MS).toISOString().slice(0, 10)
  if (col.type === 'boolean') return v ? 'true' : 'false'
  // Stored as float32: 7 significant digits give back what the CSV said (1.433, not 1.4329999685).
  return Number(v.toPrecision(7))
}

/** Nearest-neighbour downscale of HWC pixels so the longest side is at most `max`. */
export function thumbnailPixels(px: Uint8Array, h: number, w: number, c: number, max = THUMBNAIL_MAX_SIDE): { pixels: Uint8Array; height: number; width: number } {
  const scale = Math.max(h, w) / max
  if (scale <= 1) return { pixels: px, height: h, width: w }
  const th = Math.max(1, Math.round(h / scale))
  const tw = Math.max(1, Math.round(w / scale))
  const out = new Uint8Array(th * tw * c)
  for (let y = 0; y < th; y++) {
    const sy = Math.min(h - 1, Math.floor((y + 0.5) * (h / th)))
    for (let x = 0; x < tw; x++) {
      const sx = Math.min(w - 1, Math.floor((x + 0.5) * (w / tw)))
      for (let k = 0; k < c; k++) out[(y * tw + x) * c + k] = px[(sy * w + sx) * c + k]
    }
  }
  return { pixels: out, height: th, width: tw }
}

/**
 * The inputs of some rows of a dataset version, for showing them beside predictions: images as
 * (thumbnail) pixels, tabular rows as their stored column values but the target. Reads only the chunks that hold
 * the rows, each once.
 */
export function readSampleInputs(db: Database, version: DatasetVersionRecord, rowIndexes: readonly number[]): SampleInput[] {
  const chunks = chunkRanges(db, version.id)
  const bySeq = new Map<number, number[]>()
  rowIndexes.forEach((row, i) => {
    // Chunks hold consecutive rows in seq order: binary search the one whose range has the row.
    let lo = 0
    let hi = chunks.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (chunks[mid].rowStart <= row) lo = mid
      else hi = mid - 1
    }
    const c = chunks[lo]
    if (!c || row < c.rowStart || row >= c.rowStart + c.rowCount) throw new Error(`row ${row} is not stored in dataset version ${version.id}`)
    const list = bySeq.get(lo) ?? []
    list.push(i)
    bySeq.set(lo, list)
  })
  const out: SampleInput[] = new Array(rowIndexes.length)
  const schema = version.schema
  for (const [k, wanted] of bySeq) {
    const c = chunks[k]
    const data = getChunk(db, version.id, c.seq)!.data
    if (schema.kind === 'image') {
      const view = decodeChunk(data)
      const bytes = view.height * view.width * view.channels
      for (const i of wanted) {
        const r = rowIndexes[i] - c.rowStart
        const px = (view.pixels as Uint8Array).subarray(r * bytes, (r + 1) * bytes)
        const t = thumbnailPixels(px, view.height, view.width, view.channels)
        out[i] = { kind: 'image', width: t.width, height: t.height, channels: view.channels as 1 | 3, pixels: Buffer.from(t.pixels.buffer, t.pixels.byteOffset, t.pixels.byteLength).toString('base64') }
      }
    } else {
      const view = decodeChunk(data, storageKinds(schema.columns))
      const stored = schema.columns.filter((col) => col.storage)
      const target = version.recipe?.target?.column ?? null
      for (const i of wanted) {
        const r = rowIndexes[i] - c.rowStart
        const values: { column: string; value: string | number | null }[] = []
        stored.forEach((col, slot) => {
          // The target is what the row's truth column shows: listing it among the inputs would read as a leak.
          if (col.name === target) return
          const cells = view.columns[slot]
          values.push({ column: col.name, value: cells instanceof TextColumn ? (cells[r] < 0 ? null : cells.texts[r]) : cellValue(col, cells[r]) })
        })
        out[i] = { kind: 'tabular', values }
      }
    }
  }
  return out
}
