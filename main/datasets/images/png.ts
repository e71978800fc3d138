import { crc32, inflateSync } from 'node:zlib'

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/**
 * Decodes the plain PNGs that image datasets are mostly made of (MNIST-like folders) without
 * sharp's per-file pipeline: 8-bit grey (for 1 channel) or 8-bit RGB (for 3), not interlaced,
 * already exactly width x height, no transparency, no colour profile and no EXIF (so there is
 * nothing to rotate, flatten, resize or convert: sharp would return the same bytes). Every chunk's
 * CRC is checked and the image data must inflate to exactly the rows it promises. Anything else
 * returns null, and the caller decodes the file with sharp, which also words the reasons for
 * broken files.
 */
export function decodePlainPng(buf: Uint8Array, width: number, height: number, channels: 1 | 3): Buffer | null {
  if (buf.length < 8 + 25 + 12) return null
  for (let i = 0; i < 8; i++) if (buf[i] !== SIGNATURE[i]) return null
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const idat: Uint8Array[] = []
  let pos = 8
  let sawHeader = false
  for (;;) {
    if (pos + 12 > buf.length) return null
    const len = dv.getUint32(pos)
    const type = String.fromCharCode(buf[pos + 4], buf[pos + 5], buf[pos + 6], buf[pos + 7])
    const end = pos + 12 + len
    if (end > buf.length) return null
    if (crc32(buf.subarray(pos + 4, pos + 8 + len)) !== dv.getUint32(pos + 8 + len)) return null
    const data = buf.subarray(pos + 8, pos + 8 + len)
    if (!sawHeader) {
      if (type !== 'IHDR' || len !== 13) return null
      const w = dv.getUint32(pos + 8)
      const h = dv.getUint32(pos + 12)
      const depth = data[8]
      const colour = data[9]
      const interlace = data[12]
      if (w !== width || h !== height || depth !== 8 || interlace !== 0) return null
      if (!((colour === 0 && channels === 1) || (colour === 2 && channels === 3))) return null
      sawHeader = true
    } else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') break
    // Transparency, a colour profile or EXIF (orientation) make sharp's output differ from the raw samples.
    else if (type === 'tRNS' || type === 'iCCP' || type === 'eXIf' || type === 'PLTE') return null
    pos = end
  }
  if (idat.length === 0) return null
  const stride = width * channels
  let raw: Buffer
  try {
    raw = inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat))
  } catch {
    return null
  }
  if (raw.length !== height * (stride + 1)) return null
  return unfilter(raw, height, stride, channels)
}

/** Undoes the PNG row filters (None, Sub, Up, Average, Paeth); null for an unknown filter type. */
function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number): Buffer | null {
  const out = Buffer.allocUnsafe(height * stride)
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]
    const src = y * (stride + 1) + 1
    const row = y * stride
    const prev = row - stride
    switch (f) {
      case 0:
        for (let x = 0; x < stride; x++) out[row + x] = raw[src + x]
        break
      case 1:
        for (let x = 0; x < stride; x++) out[row + x] = (raw[src + x] + (x >= bpp ? out[row + x - bpp] : 0)) & 255
        break
      case 2:
        for (let x = 0; x < stride; x++) out[row + x] = (raw[src + x] + (y > 0 ? out[prev + x] : 0)) & 255
        break
      case 3:
        for (let x = 0; x < stride; x++) {
          const a = x >= bpp ? out[row + x - bpp] : 0
          const b = y > 0 ? out[prev + x] : 0
          out[row + x] = (raw[src + x] + ((a + b) >> 1)) & 255
        }
        break
      case 4:
        for (let x = 0; x < stride; x++) {
          const a = x >= bpp ? out[row + x - bpp] : 0
          const b = y > 0 ? out[prev + x] : 0
          const c = x >= bpp && y > 0 ? out[prev + x - bpp] : 0
          const p = a + b - c
          const pa = Math.abs(p - a)
          const pb = Math.abs(p - b)
          const pc = Math.abs(p - c)
          out[row + x] = (raw[src + x] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255
        }
        break
      default:
        return null
    }
  }
  return out
}
