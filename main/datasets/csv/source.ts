import type { Hash } from 'node:crypto'
import { open } from 'node:fs/promises'
import type { TextDecoder } from 'node:util'
import { throwIfAborted } from '../errors'
import type { CsvEncoding } from '../types'
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
  signal?: AbortSignal
  /** Receives every byte read, BOM included (the source fingerprint). */
  hash?: Hash
  /** Called after each chunk with the bytes read so far. */
  onBytes?: (bytesRead: number) => void
}

/**
 * Streams a file as decoded text chunks to `onText`, which returns false to stop early. Returns
 * the number of bytes read. A chunk boundary may fall anywhere, even inside a character: the
 * streaming decoder carries the partial character over.
 */
export async function readText(path: string, o: ReadTextOptions, onText: (text: string) => boolean | void): Promise<number> {
  const fh = await open(path, 'r')
  try {
    const decoder = decoderFor(o.encoding, o.strict)
    const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES)
    const limit = o.maxBytes ?? Infinity
    let pos = 0
    for (;;) {
      throwIfAborted(o.signal, path)
      const want = Math.min(READ_CHUNK_BYTES, limit - pos)
      if (want <= 0) break
      const { bytesRead } = await fh.read(buf, 0, want, pos)
      if (bytesRead === 0) break
      const bytes = buf.subarray(0, bytesRead)
      o.hash?.update(bytes)
      const skip = pos === 0 ? Math.min(o.bomLength, bytesRead) : 0
      const text = decode(decoder, bytes.subarray(skip), true, pos + skip)
      pos += bytesRead
      o.onBytes?.(pos)
      if (onText(text) === false) return pos
    }
    const tail = decode(decoder, new Uint8Array(0), false, pos)
    if (tail.length > 0) onText(tail)
    return pos
  } finally {
    await fh.close()
  }
}

function decode(decoder: TextDecoder, bytes: Uint8Array, stream: boolean, offset: number): string {
  try {
    return decoder.decode(bytes, { stream })
  } catch (e) {
    if (!(e instanceof TypeError)) throw e
    const at = firstInvalidUtf8(bytes)
    throw new NotUtf8(offset + (at < 0 ? bytes.length : at))
  }
}
