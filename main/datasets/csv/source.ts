import type { Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createGunzip } from 'node:zlib'
import type { TextDecoder } from 'node:util'
import { badInput, throwIfAborted } from '../errors'
import type { CsvEncoding } from '../../../common/datasets/types'
import { decoderFor, firstInvalidUtf8 } from './encoding'

/** Bytes read per step: big enough to amortise the parser's per-call cost, small enough to stay responsive. */
export const READ_CHUNK_BYTES = 1 << 20

/** Thrown when a file read as UTF-8 turns out not to be; the caller re-reads it as Windows-1252. */
export class NotUtf8 extends Error {
  constructor(readonly byteOffset: number) {
    super(`not valid UTF-8 at byte ${byteOffset}`)
  }
}

/** How to read a file's text. */
export interface ReadTextOptions {
  encoding: CsvEncoding
  bomLength: number
  /** Throw NotUtf8 at a byte that is not UTF-8 (the encoding was assumed, not given). */
  strict: boolean
  /** Stop after this many bytes (previews); the default reads everything. */
  maxBytes?: number
  /** Stop at this file offset, asked before each read (a split read moves its cut while reading; readBytes only). */
  until?: () => number
  /** Byte offset to start at (a part of a split read; not for gzip). The BOM is skipped only at 0. */
  start?: number
  signal?: AbortSignal
  /** Receives every byte read, BOM included (the source fingerprint). */
  hash?: Hash
  /** Called after each chunk with the bytes read so far (of the file: compressed bytes for gzip). */
  onBytes?: (bytesRead: number) => void
  /** The file is gzip-compressed: the text is its decompressed content. */
  gzip?: boolean
}

/** Chunks of a file's content: its bytes, or for gzip its decompressed bytes (`fileBytes` counts the file's bytes read). */
export interface ContentChunks {
  chunks: AsyncIterable<Buffer>
  fileBytes(): number
  close(): void
}

/** Streams the decompressed content of a gzip file; the compressed bytes go to `hash`. A corrupt file fails naming it. */
export function gunzipChunks(path: string, hash?: Hash): ContentChunks {
  let read = 0
  const raw = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })
  raw.on('data', (b) => {
    read += b.length
    hash?.update(b as Buffer)
  })
  const gunzip = createGunzip({ chunkSize: READ_CHUNK_BYTES })
  raw.on('error', (e) => gunzip.destroy(e))
  raw.pipe(gunzip)
  return {
    chunks: (async function* () {
      try {
        for await (const c of gunzip) yield c as Buffer
      } catch (e) {
        throw badInput(path, `is not a readable gzip file (${(e as Error).message})`)
      }
    })(),
    fileBytes: () => read,
    close: () => {
      raw.destroy()
      gunzip.destroy()
    },
  }
}

/** The first `max` bytes of a gzip file's content, and whether that is all of it. */
export async function gunzipHead(path: string, max: number): Promise<{ head: Buffer; complete: boolean }> {
  const src = gunzipChunks(path)
  const parts: Buffer[] = []
  let n = 0
  try {
    for await (const c of src.chunks) {
      parts.push(c)
      n += c.length
      if (n >= max) return { head: Buffer.concat(parts).subarray(0, max), complete: false }
    }
    return { head: Buffer.concat(parts), complete: true }
  } finally {
    src.close()
  }
}

/**
 * Streams a file as decoded text chunks to `onText`, which returns false to stop early. Returns
 * the number of bytes read. A chunk boundary may fall anywhere, even inside a character: the
 * streaming decoder carries the partial character over.
 */
export async function readText(path: string, o: ReadTextOptions, onText: (text: string) => boolean | void): Promise<number> {
  if (o.gzip) return readGzipText(path, o, onText)
  const decoder = decoderFor(o.encoding, o.strict)
  let stopped = false
  const pos = await readBytes(path, o, (bytes, at) => {
    if (onText(decodeChunk(decoder, bytes, true, at)) !== false) return
    stopped = true
    return false
  })
  if (stopped) return pos
  const tail = decodeChunk(decoder, new Uint8Array(0), false, pos)
  if (tail.length > 0) onText(tail)
  return pos
}

/** Bytes kept free before each chunk readBytes hands over (see its `headroom`). */
export const READ_HEADROOM_BYTES = 64 << 10

/**
 * Streams a (not compressed) file's bytes to `onBytes` as readText reads them (same chunks, BOM
 * left out, every byte hashed), for readers that work on bytes; the buffer is reused, so keep a
 * copy of what outlives the call. `headroom` bytes just before `bytes` in its ArrayBuffer are free
 * for the callback to write (a reader puts the unfinished record of the last chunk there instead
 * of copying the chunk after it). Returns the number of bytes read.
 */
export async function readBytes(path: string, o: ReadTextOptions, onBytes: (bytes: Buffer, at: number, headroom: number) => boolean | void): Promise<number> {
  const fh = await open(path, 'r')
  try {
    const whole = Buffer.allocUnsafe(READ_HEADROOM_BYTES + READ_CHUNK_BYTES)
    const buf = whole.subarray(READ_HEADROOM_BYTES)
    const limit = o.maxBytes ?? Infinity
    let pos = o.start ?? 0
    for (;;) {
      throwIfAborted(o.signal, path)
      const want = Math.min(READ_CHUNK_BYTES, limit - pos, o.until ? o.until() - pos : Infinity)
      if (want <= 0) break
      const { bytesRead } = await fh.read(buf, 0, want, pos)
      if (bytesRead === 0) break
      const bytes = buf.subarray(0, bytesRead)
      o.hash?.update(bytes)
      const skip = pos === 0 ? Math.min(o.bomLength, bytesRead) : 0
      const at = pos + skip
      pos += bytesRead
      o.onBytes?.(pos)
      if (onBytes(bytes.subarray(skip), at, READ_HEADROOM_BYTES + skip) === false) return pos
    }
    return pos
  } finally {
    await fh.close()
  }
}

/** readText for a gzip file: the same decoding over the decompressed bytes (maxBytes counts those). */
async function readGzipText(path: string, o: ReadTextOptions, onText: (text: string) => boolean | void): Promise<number> {
  const src = gunzipChunks(path, o.hash)
  try {
    const decoder = decoderFor(o.encoding, o.strict)
    const limit = o.maxBytes ?? Infinity
    let pos = 0
    for await (const chunk of src.chunks) {
      throwIfAborted(o.signal, path)
      const bytes = pos + chunk.length > limit ? chunk.subarray(0, limit - pos) : chunk
      const skip = pos === 0 ? Math.min(o.bomLength, bytes.length) : 0
      const text = decodeChunk(decoder, bytes.subarray(skip), true, pos + skip)
      pos += bytes.length
      o.onBytes?.(src.fileBytes())
      if (onText(text) === false || pos >= limit) return pos
    }
    const tail = decodeChunk(decoder, new Uint8Array(0), false, pos)
    if (tail.length > 0) onText(tail)
    return pos
  } finally {
    src.close()
  }
}

/** Decodes bytes at file offset `offset`; a strict UTF-8 decoder's error becomes NotUtf8 at the first bad byte. */
export function decodeChunk(decoder: TextDecoder, bytes: Uint8Array, stream: boolean, offset: number): string {
  try {
    return decoder.decode(bytes, { stream })
  } catch (e) {
    if (!(e instanceof TypeError)) throw e
    const at = firstInvalidUtf8(bytes)
    throw new NotUtf8(offset + (at < 0 ? bytes.length : at))
  }
}
