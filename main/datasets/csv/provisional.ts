import { pad4 } from '../chunks/format'
import type { ColumnProfile } from './profile'

/** A chunk of rows as the single read left it: per column, values and/or distinct slots (see profile.ts). */
export interface ProvisionalChunk {
  rows: number
  vals: (Float32Array | null)[]
  codes: (Int32Array | null)[]
  /** Trimmed cells ('' missing) of columns that kept their text (ColumnProfile.keepsText). */
  texts: (string[] | null)[]
}

/**
 * Serialises the profiles' current chunk (for the spool): u32 rows, u32 columns, one flag byte per
 * column (1: values follow, 2: slots follow) padded to 4, then the arrays in column order. A
 * column with complete slots keeps only those: its values follow from the slot's text
 * (finalize.ts parses each distinct value once), which halves what most columns spool. Flag 4:
 * the cells' text follows (u32 byte length, then a JSON array of the strings, padded to 4), only
 * for columns whose text nothing else can give back (free text, ids).
 */
export function packProvisional(rows: number, profiles: readonly ColumnProfile[]): Buffer {
  const flags: number[] = profiles.map((p) => (p.keepsCodes ? 2 : p.keepsValues ? 1 : 0) | (p.keepsText ? 4 : 0))
  const arrays = flags.reduce((s, f) => s + (f & 1) + ((f >> 1) & 1), 0)
  const texts = profiles.map((p, k) => (flags[k] & 4 ? Buffer.from(JSON.stringify(p.texts.slice(0, rows))) : null))
  const textBytes = texts.reduce((s, t) => s + (t ? 4 + pad4(t.length) : 0), 0)
  const out = Buffer.allocUnsafe(8 + pad4(profiles.length) + arrays * rows * 4 + textBytes)
  out.writeUInt32LE(rows, 0)
  out.writeUInt32LE(profiles.length, 4)
  out.fill(0, 8, 8 + pad4(profiles.length))
  let at = 8
  for (const f of flags) out[at++] = f
  at = 8 + pad4(profiles.length)
  profiles.forEach((p, k) => {
    if (flags[k] & 1) {
      out.set(new Uint8Array(p.vals.buffer, p.vals.byteOffset, rows * 4), at)
      at += rows * 4
    }
    if (flags[k] & 2) {
      out.set(new Uint8Array(p.codes.buffer, p.codes.byteOffset, rows * 4), at)
      at += rows * 4
    }
    const t = texts[k]
    if (t) {
      out.writeUInt32LE(t.length, at)
      out.set(t, at + 4)
      out.fill(0, at + 4 + t.length, at + 4 + pad4(t.length))
      at += 4 + pad4(t.length)
    }
  })
  return out
}

/** Reads a packed chunk back as views (copying once if the buffer is not 4-byte aligned). */
export function unpackProvisional(buf: Uint8Array): ProvisionalChunk {
  if (buf.byteOffset % 4 !== 0) buf = new Uint8Array(buf)
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const rows = dv.getUint32(0, true)
  const n = dv.getUint32(4, true)
  let at = buf.byteOffset + 8 + pad4(n)
  const vals: (Float32Array | null)[] = []
  const codes: (Int32Array | null)[] = []
  const texts: (string[] | null)[] = []
  for (let k = 0; k < n; k++) {
    const f = buf[8 + k]
    vals.push(f & 1 ? new Float32Array(buf.buffer, at, rows) : null)
    if (f & 1) at += rows * 4
    codes.push(f & 2 ? new Int32Array(buf.buffer, at, rows) : null)
    if (f & 2) at += rows * 4
    if (f & 4) {
      const len = dv.getUint32(at - buf.byteOffset, true)
      texts.push(JSON.parse(Buffer.from(buf.buffer, at + 4, len).toString('utf8')) as string[])
      at += 4 + pad4(len)
    } else texts.push(null)
  }
  return { rows, vals, codes, texts }
}

/**
 * Rewrites a packed chunk's distinct slots through `remaps` (one table per column: its slot in
 * the merged profile), for the later part of a split read. Returns the rewritten (aligned) buffer.
 */
export function remapCodes(buf: Buffer, remaps: readonly Int32Array[]): Buffer {
  if (buf.byteOffset % 4 !== 0) buf = Buffer.from(new Uint8Array(buf))
  const p = unpackProvisional(buf)
  p.codes.forEach((codes, k) => {
    if (!codes) return
    const m = remaps[k]
    for (let i = 0; i < codes.length; i++) {
      const s = codes[i]
      if (s >= 0) codes[i] = m[s]
    }
  })
  return buf
}
