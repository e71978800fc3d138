import { TextDecoder } from 'node:util'
import type { CsvEncoding } from '../../../common/datasets/types'

/** What the first bytes of a file say about its encoding. */
export interface EncodingGuess {
  encoding: CsvEncoding
  /** Bytes of byte-order mark to skip (never part of the first header). */
  bomLength: number
  reason: string
  /** False when the guess is "UTF-8 unless some byte proves otherwise" (checked while reading). */
  certain: boolean
}

/**
 * Reads the encoding from a byte-order mark; without one, spots BOM-less UTF-16 by its zero
 * bytes, refuses binary files, and otherwise guesses UTF-8 (the reader falls back to
 * Windows-1252 at the first byte that is not valid UTF-8).
 */
export function guessEncoding(head: Uint8Array): EncodingGuess | { binary: number } {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3, reason: 'UTF-8 byte-order mark', certain: true }
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) {
    return { encoding: 'utf-16le', bomLength: 2, reason: 'UTF-16 little-endian byte-order mark', certain: true }
  }
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) {
    return { encoding: 'utf-16be', bomLength: 2, reason: 'UTF-16 big-endian byte-order mark', certain: true }
  }
  // Text in UTF-16 without a mark: mostly-ASCII text has a zero in every other byte.
  const n = Math.min(head.length, 4096) & ~1
  let evenZeros = 0
  let oddZeros = 0
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++
    if (head[i + 1] === 0) oddZeros++
  }
  const pairs = n / 2
  if (pairs >= 4 && oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) {
    return { encoding: 'utf-16le', bomLength: 0, reason: 'UTF-16 little-endian (no byte-order mark; zero bytes in every other position)', certain: true }
  }
  if (pairs >= 4 && evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) {
    return { encoding: 'utf-16be', bomLength: 0, reason: 'UTF-16 big-endian (no byte-order mark; zero bytes in every other position)', certain: true }
  }
  const zero = head.indexOf(0)
  if (zero >= 0) return { binary: zero }
  return { encoding: 'utf-8', bomLength: 0, reason: 'valid UTF-8', certain: false }
}

/**
 * A streaming decoder for the encoding. `strict` (for UTF-8 that was only assumed) throws at a
 * bad byte so the reader can fall back to Windows-1252; otherwise bad bytes become U+FFFD.
 */
export function decoderFor(encoding: CsvEncoding, strict: boolean): TextDecoder {
  return new TextDecoder(encoding, { fatal: strict && encoding === 'utf-8', ignoreBOM: true })
}

/** Offset of the first byte that breaks UTF-8 in buf, or -1 (an incomplete sequence at the end is fine). */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0
  const n = buf.length
  while (i < n) {
    const b = buf[i]
    if (b < 0x80) {
      i++
      continue
    }
    let need: number
    if (b >= 0xc2 && b <= 0xdf) need = 1
    else if (b >= 0xe0 && b <= 0xef) need = 2
    else if (b >= 0xf0 && b <= 0xf4) need = 3
    else return i
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return -1
      const c = buf[i + k]
      if ((c & 0xc0) !== 0x80) return i
      if (k === 1) {
        if (b === 0xe0 && c < 0xa0) return i
        if (b === 0xed && c > 0x9f) return i
        if (b === 0xf0 && c < 0x90) return i
        if (b === 0xf4 && c > 0x8f) return i
      }
    }
    i += need + 1
  }
  return -1
}
