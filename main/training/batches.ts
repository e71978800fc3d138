import type { Database } from 'better-sqlite3'
import { readChunks, type Batch } from '../datasets/chunks/read'
import { seededRandom, shuffleInPlace } from '../../common/datasets/prng'
import type { SplitName } from '../../common/datasets/types'

/** A training batch as plain arrays: x is [n, ...inputShape] row-major, y the class index or value. */
export interface ArrayBatch {
  n: number
  x: Float32Array
  /** Per-sample shape (batch excluded). */
  shape: number[]
  labels: Int32Array | Float32Array
  rowIndex: Uint32Array
}

/** Rows kept in memory to shuffle across chunks; a split smaller than this is shuffled whole. */
export const SHUFFLE_BUFFER_ROWS = 65_536

function toFloat(b: Batch): { x: Float32Array; shape: number[]; width: number } {
  if (b.kind === 'image') {
    const x = new Float32Array(b.pixels.length)
    // Pixels are stored as bytes; networks see them scaled to [0, 1].
    for (let i = 0; i < x.length; i++) x[i] = b.pixels[i] / 255
    return { x, shape: [b.height, b.width, b.channels], width: b.height * b.width * b.channels }
  }
  return { x: b.features, shape: [b.width], width: b.width }
}

/** Seed of one epoch's shuffle: a run replays the same order for the same (seed, epoch). */
export function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(epoch + 1, 0xc2b2ae35)) >>> 0
}

/**
 * Rows a stream reads: one split, or (a cross-validation fold) the rows of several splits whose
 * row index is in `rows`.
 */
export type RowSource = SplitName | { splits: readonly SplitName[]; rows: ReadonlySet<number> }

/** Keeps the rows of a chunk whose index is in `rows` (a fold's share of it). */
function selectFold(f: { x: Float32Array; width: number }, b: Batch, rows: ReadonlySet<number>): { x: Float32Array; labels: Int32Array | Float32Array; rowIndex: Uint32Array; rows: number } {
  const keep: number[] = []
  for (let i = 0; i < b.rows; i++) if (rows.has(b.rowIndex[i])) keep.push(i)
  const picked = Uint32Array.from(keep)
  return { x: gather(f.x, picked, f.width), labels: gatherLabels(b.labels, picked), rowIndex: Uint32Array.from(keep, (i) => b.rowIndex[i]), rows: keep.length }
}

/**
 * Streams a split (or a fold's rows, see RowSource) in batches. With `shuffleSeed`, rows are shuffled within a buffer of
 * SHUFFLE_BUFFER_ROWS (the whole split when it fits), so memory stays bounded for big datasets.
 */
export function* batchStream(db: Database, versionId: number, source: RowSource, batchSize: number, shuffleSeed: number | null): Generator<ArrayBatch> {
  const random = shuffleSeed === null ? null : seededRandom(shuffleSeed)
  let parts: { x: Float32Array; labels: Int32Array | Float32Array; rowIndex: Uint32Array; rows: number }[] = []
  let buffered = 0
  let shape: number[] = []
  let width = 0
  let isInt = true
  function* drain(all: boolean): Generator<ArrayBatch> {
    if (buffered === 0) return
    const x = new Float32Array(buffered * width)
    const labels = isInt ? new Int32Array(buffered) : new Float32Array(buffered)
    const rowIndex = new Uint32Array(buffered)
    let at = 0
    for (const p of parts) {
      x.set(p.x, at * width)
      labels.set(p.labels as never, at)
      rowIndex.set(p.rowIndex, at)
      at += p.rows
    }
    const order = Uint32Array.from({ length: buffered }, (_, i) => i)
    if (random) shuffleInPlace(order, random)
    const full = all ? buffered : buffered - (buffered % batchSize)
    for (let s = 0; s < full; s += batchSize) {
      const n = Math.min(batchSize, full - s)
      const bx = new Float32Array(n * width)
      const by = isInt ? new Int32Array(n) : new Float32Array(n)
      const bi = new Uint32Array(n)
      for (let k = 0; k < n; k++) {
        const r = order[s + k]
        bx.set(x.subarray(r * width, (r + 1) * width), k * width)
        by[k] = labels[r]
        bi[k] = rowIndex[r]
      }
      yield { n, x: bx, shape, labels: by, rowIndex: bi }
    }
    // Rows that did not fill a batch carry over into the next buffer.
    const rest = order.slice(full)
    parts = rest.length
      ? [{ rows: rest.length, x: gather(x, rest, width), labels: gatherLabels(labels, rest), rowIndex: Uint32Array.from(rest, (r) => rowIndex[r]) }]
      : []
    buffered = rest.length
  }
  for (const split of typeof source === 'string' ? [source] : source.splits) {
    for (const b of readChunks(db, versionId, split)) {
      const f = toFloat(b)
      shape = f.shape
      width = f.width
      isInt = b.labels instanceof Int32Array
      const part = typeof source === 'string' ? { x: f.x, labels: b.labels, rowIndex: b.rowIndex, rows: b.rows } : selectFold(f, b, source.rows)
      if (part.rows === 0) continue
      parts.push(part)
      buffered += part.rows
      if (buffered >= SHUFFLE_BUFFER_ROWS) yield* drain(false)
    }
  }
  yield* drain(true)
}

function gather(x: Float32Array, rows: Uint32Array, width: number): Float32Array {
  const out = new Float32Array(rows.length * width)
  rows.forEach((r, k) => out.set(x.subarray(r * width, (r + 1) * width), k * width))
  return out
}

function gatherLabels(labels: Int32Array | Float32Array, rows: Uint32Array): Int32Array | Float32Array {
  const out = labels instanceof Int32Array ? new Int32Array(rows.length) : new Float32Array(rows.length)
  rows.forEach((r, k) => (out[k] = labels[r]))
  return out
}

/** Number of rows of a split, or of a fold (for steps per epoch and ETA). */
export function splitRows(db: Database, versionId: number, split: RowSource): number {
  if (typeof split !== 'string') return split.rows.size
  let n = 0
  for (const b of readChunks(db, versionId, split)) n += b.rows
  return n
}
