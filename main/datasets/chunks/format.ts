/**
 * The chunk format: how encoded samples are laid out in dataset_chunks.data.
 *
 * A dataset version's rows are cut into chunks (seq 0, 1, ...; row_start and row_count say which
 * rows). Every chunk BLOB is little-endian and starts with a 24-byte header:
 *
 *   offset  type  field
 *   0       u32   magic 0x3143574E ("NWC1" in file order)
 *   4       u8    kind: 1 = tabular, 2 = image
 *   5       u8    format version: 1
 *   6       u16   reserved, 0
 *   8       u32   n, the rows in this chunk
 *   12      u32   tabular: stored column count c     | image: height
 *   16      u32   tabular: 0                         | image: width
 *   20      u32   tabular: 0                         | image: channels (1 grey, 3 RGB)
 *
 * then the split of each row, u8[n] (0 train, 1 validation, 2 test), zero-padded to a multiple
 * of 4 bytes so every array after it is aligned. Then:
 *
 * - tabular: one array of n values per stored column, in schema order (the columns whose
 *   `storage` is not null): f32 for integer, float, boolean (0/1) and date (days since
 *   1970-01-01 UTC) columns with NaN for missing; i32 codes into the column's `categories` for
 *   categorical columns, -1 for missing. These are the raw typed values, not the features: the
 *   version's recipe (recipe_json) turns them into features when read (chunks/read.ts), through
 *   the same code as applyRecipe, so training and prediction see identical numbers and a recipe
 *   can be refitted without re-reading the CSV. Text and id columns are not stored.
 * - image: labels i32[n] (index into the schema's classes), then pixels u8[n*h*w*c], each image
 *   row-major, channels interleaved (HWC), as decoded after EXIF rotation and resizing.
 *
 * Tabular chunks hold schema.rowsPerChunk rows (4,096, fewer for files with over 256 columns);
 * image chunks as many images as fit in IMAGE_CHUNK_BYTES (at least one). The last chunk may be
 * shorter; row_start and row_count in dataset_chunks are authoritative.
 */

/** "NWC1" read as a little-endian u32. */
export const CHUNK_MAGIC = 0x3143574e
/** The header size in bytes. */
export const CHUNK_HEADER_BYTES = 24
/** Rows per tabular chunk (fewer for very wide files, see tabularRowsPerChunk). */
export const TABULAR_ROWS_PER_CHUNK = 4096

/**
 * Rows per tabular chunk for a file this wide: at most about a million cells a chunk (the read
 * holds a chunk's cells as text while it profiles them column by column), 16 to 4,096 rows.
 */
export function tabularRowsPerChunk(columns: number): number {
  return Math.max(16, Math.min(TABULAR_ROWS_PER_CHUNK, Math.floor((1 << 20) / Math.max(1, columns))))
}
/** Target pixel bytes per image chunk. */
export const IMAGE_CHUNK_BYTES = 4 << 20

/** Chunk kinds. */
export const KIND_TABULAR = 1
/** Chunk kinds. */
export const KIND_IMAGE = 2

const VERSION = 1

/** Rounds up to a multiple of 4. */
export function pad4(n: number): number {
  return (n + 3) & ~3
}

const utf8 = new TextEncoder()
const utf8Decoder = new TextDecoder()

/**
 * A stored text column as chunk code sees it: an Int32Array of n flags (0 present, -1 missing,
 * like category codes, so drop checks treat it as categorical) carrying the cells' text.
 */
export class TextColumn extends Int32Array {
  // Slices and maps of it are plain Int32Arrays (they do not carry the text).
  static get [Symbol.species](): Int32ArrayConstructor {
    return Int32Array
  }
  /** The cells, '' where missing. */
  readonly texts: string[]

  constructor(texts: string[], missing?: (i: number) => boolean) {
    super(texts.length)
    this.texts = texts
    for (let i = 0; i < texts.length; i++) if (missing ? missing(i) : texts[i] === '') this[i] = -1
  }
}

/** Bytes a text column of `rows` cells takes in a chunk. */
function textBlock(col: TextColumn, rows: number): { offsets: Uint32Array; bytes: Uint8Array[]; size: number } {
  const offsets = new Uint32Array(rows + 1)
  const bytes: Uint8Array[] = []
  let at = 0
  for (let i = 0; i < rows; i++) {
    const b = col[i] < 0 ? new Uint8Array(0) : utf8.encode(col.texts[i])
    bytes.push(b)
    at += b.length
    offsets[i + 1] = at
  }
  return { offsets, bytes, size: (rows + 1) * 4 + pad4(at) }
}

/** A decoded chunk header with views on its arrays (no copies). */
export interface ChunkView {
  kind: number
  rows: number
  split: Uint8Array
  /** Tabular: the stored columns in schema order. */
  columns: (Float32Array | Int32Array)[]
  /** Image only. */
  labels: Int32Array | null
  pixels: Uint8Array | null
  height: number
  width: number
  channels: number
}

/** Encodes a tabular chunk from its split codes and column arrays (each at least `rows` long; TextColumns as text). */
export function encodeTabularChunk(rows: number, split: Uint8Array, columns: (Float32Array | Int32Array)[]): Buffer {
  const splitBytes = pad4(rows)
  const texts = columns.map((c) => (c instanceof TextColumn ? textBlock(c, rows) : null))
  const size = texts.reduce((s, t) => s + (t ? t.size : rows * 4), 0)
  const out = Buffer.alloc(CHUNK_HEADER_BYTES + splitBytes + size)
  writeHeader(out, KIND_TABULAR, rows, columns.length, 0, 0)
  out.set(split.subarray(0, rows), CHUNK_HEADER_BYTES)
  let at = CHUNK_HEADER_BYTES + splitBytes
  columns.forEach((col, k) => {
    const t = texts[k]
    if (t) {
      out.set(new Uint8Array(t.offsets.buffer), at)
      let b = at + (rows + 1) * 4
      for (const x of t.bytes) {
        out.set(x, b)
        b += x.length
      }
      at += t.size
      return
    }
    out.set(new Uint8Array(col.buffer, col.byteOffset, rows * 4), at)
    at += rows * 4
  })
  return out
}

/** Encodes an image chunk: split codes, labels and pixels (h*w*c bytes per image). */
export function encodeImageChunk(rows: number, split: Uint8Array, labels: Int32Array, pixels: Uint8Array, h: number, w: number, c: number): Buffer {
  const splitBytes = pad4(rows)
  const pixelBytes = rows * h * w * c
  const out = Buffer.alloc(CHUNK_HEADER_BYTES + splitBytes + rows * 4 + pixelBytes)
  writeHeader(out, KIND_IMAGE, rows, h, w, c)
  out.set(split.subarray(0, rows), CHUNK_HEADER_BYTES)
  let at = CHUNK_HEADER_BYTES + splitBytes
  out.set(new Uint8Array(labels.buffer, labels.byteOffset, rows * 4), at)
  at += rows * 4
  out.set(pixels.subarray(0, pixelBytes), at)
  return out
}

function writeHeader(out: Buffer, kind: number, rows: number, a: number, b: number, c: number): void {
  out.writeUInt32LE(CHUNK_MAGIC, 0)
  out.writeUInt8(kind, 4)
  out.writeUInt8(VERSION, 5)
  out.writeUInt16LE(0, 6)
  out.writeUInt32LE(rows, 8)
  out.writeUInt32LE(a, 12)
  out.writeUInt32LE(b, 16)
  out.writeUInt32LE(c, 20)
}

/**
 * Reads a chunk; `columnKinds` gives the tabular column storage in order. Views share the blob's
 * memory (the blob is copied once if SQLite handed it over unaligned).
 */
export function decodeChunk(blob: Uint8Array, columnKinds: readonly ('f32' | 'i32' | 'text')[] = []): ChunkView {
  if (blob.byteOffset % 4 !== 0) blob = new Uint8Array(blob)
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength)
  if (blob.byteLength < CHUNK_HEADER_BYTES || dv.getUint32(0, true) !== CHUNK_MAGIC) throw new Error('not a dataset chunk (bad magic)')
  const kind = dv.getUint8(4)
  if (dv.getUint8(5) !== VERSION) throw new Error(`unknown chunk format version ${dv.getUint8(5)}`)
  const rows = dv.getUint32(8, true)
  const a = dv.getUint32(12, true)
  const b = dv.getUint32(16, true)
  const c = dv.getUint32(20, true)
  const split = new Uint8Array(blob.buffer, blob.byteOffset + CHUNK_HEADER_BYTES, rows)
  let at = blob.byteOffset + CHUNK_HEADER_BYTES + pad4(rows)
  const view: ChunkView = { kind, rows, split, columns: [], labels: null, pixels: null, height: 0, width: 0, channels: 0 }
  if (kind === KIND_TABULAR) {
    if (a !== columnKinds.length) throw new Error(`chunk has ${a} columns, the schema stores ${columnKinds.length}`)
    for (const k of columnKinds) {
      if (k === 'text') {
        const offsets = new Uint32Array(blob.buffer, at, rows + 1)
        const base = at + (rows + 1) * 4
        const texts = new Array<string>(rows)
        for (let i = 0; i < rows; i++) texts[i] = utf8Decoder.decode(new Uint8Array(blob.buffer, base + offsets[i], offsets[i + 1] - offsets[i]))
        view.columns.push(new TextColumn(texts, (i) => offsets[i + 1] === offsets[i]))
        at = base + pad4(offsets[rows])
        continue
      }
      view.columns.push(k === 'f32' ? new Float32Array(blob.buffer, at, rows) : new Int32Array(blob.buffer, at, rows))
      at += rows * 4
    }
  } else if (kind === KIND_IMAGE) {
    view.height = a
    view.width = b
    view.channels = c
    view.labels = new Int32Array(blob.buffer, at, rows)
    at += rows * 4
    view.pixels = new Uint8Array(blob.buffer, at, rows * a * b * c)
  } else {
    throw new Error(`unknown chunk kind ${kind}`)
  }
  return view
}
