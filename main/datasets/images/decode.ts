import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import sharp from 'sharp'
import { headerProblem } from './format'
import { decodePlainPng } from './png'
import type { ImageEntry } from './scan'

/** How images are turned into pixels. */
export interface DecodeSettings {
  width: number
  height: number
  channels: 1 | 3
  /** cover: fill the frame, cropping; contain: fit inside, padding with the background; fill: stretch. */
  fit: 'cover' | 'contain' | 'fill'
  /** Images with more pixels than this are refused from their header, before any decoding. */
  maxPixels: number
}

/** Default pixel limit: 40 megapixels (a 7,000 x 5,700 photo). */
export const DEFAULT_MAX_PIXELS = 40_000_000
/** Files larger than this are refused without being read. */
export const MAX_FILE_BYTES = 256 << 20

/** A decoded image, or why it was skipped; `digest` is the sha256 of the file's bytes ('' when unread). */
export type Decoded = { ok: true; pixels: Uint8Array; bytes: number; digest: string } | { ok: false; reason: string; bytes: number; digest: string }

function megapixels(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} megapixels` : `${n.toLocaleString('en-US')} pixels`
}

/**
 * Reads one image: checks its first bytes (empty, not an image, mislabelled extension), reads its
 * size from the header and refuses it over the pixel limit, then decodes the first frame with
 * EXIF orientation applied, flattens transparency onto white, resizes and converts to the channel
 * count. Corrupt and truncated data fail in sharp (failOn 'warning') and come back as a reason.
 */
export async function decodeImage(e: ImageEntry, s: DecodeSettings, sync = false): Promise<Decoded> {
  if (e.bytes > MAX_FILE_BYTES) return { ok: false, reason: `file is ${(e.bytes / 2 ** 20).toFixed(0)} MiB, over the ${MAX_FILE_BYTES / 2 ** 20} MiB limit`, bytes: 0, digest: '' }
  let buf: Buffer
  try {
    // A helper thread decoding a batch reads synchronously: one call instead of four thread-pool trips.
    buf = sync ? readFileSync(e.abs) : await readFile(e.abs)
  } catch (err) {
    return { ok: false, reason: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, bytes: 0, digest: '' }
  }
  const digest = createHash('sha256').update(buf).digest('hex')
  const problem = headerProblem(e.ext, buf.subarray(0, 16), buf.length)
  if (problem) return { ok: false, reason: problem, bytes: buf.length, digest }
  if (s.width * s.height <= s.maxPixels) {
    const plain = decodePlainPng(buf, s.width, s.height, s.channels)
    if (plain) return { ok: true, pixels: plain, bytes: buf.length, digest }
  }
  try {
    // One sharp instance: the header first (sharp's own pixel limit would refuse with a vaguer
    // message, so the limit is checked here from the header, before anything is decoded).
    let img = sharp(buf, { limitInputPixels: false, failOn: 'warning' })
    const meta = await img.metadata()
    const w = meta.width ?? 0
    const h = meta.height ?? 0
    if (w * h > s.maxPixels) {
      return { ok: false, reason: `image is ${w} x ${h} (${megapixels(w * h)}), over the ${megapixels(s.maxPixels)} limit`, bytes: buf.length, digest }
    }
    img = img.rotate().resize(s.width, s.height, { fit: s.fit, background: { r: 255, g: 255, b: 255, alpha: 1 } })
    if (meta.hasAlpha) img = img.flatten({ background: '#ffffff' })
    img = s.channels === 1 ? img.toColourspace('b-w') : img.toColourspace('srgb')
    // 16-bit PNGs decode to 16-bit samples unless told otherwise: always store one byte per sample.
    const { data, info } = await img.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true })
    if (info.channels !== s.channels || info.width !== s.width || info.height !== s.height || data.length !== s.width * s.height * s.channels) {
      return { ok: false, reason: `decoded to ${info.width} x ${info.height} x ${info.channels}, not ${s.width} x ${s.height} x ${s.channels}`, bytes: buf.length, digest }
    }
    return { ok: true, pixels: data, bytes: buf.length, digest }
  } catch (err) {
    return { ok: false, reason: `corrupt or truncated image data (${cleanSharpMessage((err as Error).message)})`, bytes: buf.length, digest }
  }
}

function cleanSharpMessage(m: string): string {
  return m.replace(/\s+/g, ' ').trim().slice(0, 200)
}
