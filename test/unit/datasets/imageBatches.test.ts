import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { readChunks, type ImageBatch } from '../../../main/datasets/chunks/read'
import { decodeImage, DEFAULT_MAX_PIXELS, type DecodeSettings } from '../../../main/datasets/images/decode'
import { importImageFolder, type ImageImportResult } from '../../../main/datasets/images/import'
import { decodePlainPng } from '../../../main/datasets/images/png'
import { seededRandom } from '../../../common/datasets/prng'
import { tempDir } from '../../helpers/tmp'
import { imageFixture, tempStore } from './support'

const r = seededRandom(3)
const noise = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + Math.floor(r() * 60)) & 255)

/** sharp's own pixels for a PNG (the reference the plain decoder must equal). */
async function sharpPixels(png: Buffer, s: DecodeSettings): Promise<Uint8Array> {
  let img = sharp(png).rotate().resize(s.width, s.height, { fit: s.fit })
  img = s.channels === 1 ? img.toColourspace('b-w') : img.toColourspace('srgb')
  return new Uint8Array(await img.raw({ depth: 'uchar' }).toBuffer())
}

describe('plain PNG decoding', () => {
  it.each([
    [1, 0],
    [1, 9],
    [3, 0],
    [3, 9],
  ] as const)('gives sharp\'s pixels for %i-channel PNGs (compression %i, every row filter sharp picks)', async (channels, level) => {
    const s: DecodeSettings = { width: 28, height: 21, channels, fit: 'cover', maxPixels: DEFAULT_MAX_PIXELS }
    // libpng's adaptive filtering (compression 9) uses Sub, Up, Average and Paeth rows on noise.
    const png = await sharp(Buffer.from(noise(28 * 21 * channels)), { raw: { width: 28, height: 21, channels } })
      .toColourspace(channels === 1 ? 'b-w' : 'srgb')
      .png({ compressionLevel: level, adaptiveFiltering: level > 0 })
      .toBuffer()
    const mine = decodePlainPng(png, 28, 21, channels)
    expect(mine).not.toBeNull()
    expect(new Uint8Array(mine as Buffer)).toEqual(await sharpPixels(png, s))
  })

  it('leaves to sharp what it does not handle: another size, alpha, a bad CRC, truncated data', async () => {
    const grey = await sharp(Buffer.from(noise(28 * 28)), { raw: { width: 28, height: 28, channels: 1 } }).toColourspace('b-w').png().toBuffer()
    expect(decodePlainPng(grey, 28, 28, 1)).not.toBeNull()
    expect(decodePlainPng(grey, 14, 14, 1)).toBeNull()
    expect(decodePlainPng(grey, 28, 28, 3)).toBeNull()
    const rgba = await sharp(Buffer.from(noise(28 * 28 * 4)), { raw: { width: 28, height: 28, channels: 4 } }).png().toBuffer()
    expect(decodePlainPng(rgba, 28, 28, 3)).toBeNull()
    const badCrc = Buffer.from(grey)
    badCrc[40] ^= 0xff
    expect(decodePlainPng(badCrc, 28, 28, 1)).toBeNull()
    expect(decodePlainPng(grey.subarray(0, grey.length - 20), 28, 28, 1)).toBeNull()
    // Through decodeImage, the truncated file is still refused with sharp's reason.
    const dir = tempDir('nw-png-')
    writeFileSync(join(dir, 'cut.png'), grey.subarray(0, grey.length - 20))
    const d = await decodeImage({ rel: 'cut.png', abs: join(dir, 'cut.png'), label: 'a', ext: '.png', bytes: grey.length - 20 }, { width: 28, height: 28, channels: 1, fit: 'cover', maxPixels: DEFAULT_MAX_PIXELS })
    expect(d.ok).toBe(false)
    if (!d.ok) expect(d.reason).toMatch(/^corrupt or truncated image data/)
  })
})

describe('image import in batches on helper threads', () => {
  /** A folder of plain PNGs in two classes plus the mixed fixture's odd files (EXIF, broken, huge). */
  async function folder(): Promise<string> {
    const dir = tempDir('nw-imgpool-')
    cpSync(imageFixture('mixed'), join(dir, 'tree'), { recursive: true })
    for (const cls of ['cat', 'dog']) {
      mkdirSync(join(dir, 'tree', cls), { recursive: true })
      for (let i = 0; i < 300; i++) {
        const png = await sharp(Buffer.from(noise(16 * 16)), { raw: { width: 16, height: 16, channels: 1 } }).toColourspace('b-w').png().toBuffer()
        writeFileSync(join(dir, 'tree', cls, `p${String(i).padStart(3, '0')}.png`), png)
      }
    }
    return join(dir, 'tree')
  }

  function stored(db: ReturnType<typeof tempStore>, res: ImageImportResult): object {
    const rows: number[][] = []
    for (const b of readChunks(db, res.versionId, 'all') as Generator<ImageBatch>) {
      const n = b.height * b.width * b.channels
      for (let k = 0; k < b.rows; k++) rows.push([b.rowIndex[k], b.labels[k], ...b.pixels.subarray(k * n, (k + 1) * n)])
    }
    const { datasetId, versionId, seconds, sameSourceAs, skipped, ...same } = res
    // libvips words the detail of a decode failure from a process-wide error buffer that concurrent
    // decodes share (seen: "end of stream" vs "Warning treated as error" for the same truncated PNG),
    // so the reasons are compared up to that detail.
    const reasons = skipped.map((s) => ({ ...s, reason: s.reason.replace(/ \(.*\)$/, '') }))
    return { ...same, skipped: reasons, ids: [datasetId, versionId, sameSourceAs.length, seconds >= 0], rows }
  }

  it('stores the same images, skips the same files with the same reasons and fingerprints the same as decoding in one thread', async () => {
    const tree = await folder()
    const settings = { width: 16, height: 16, channels: 1 as const }
    const db1 = tempStore()
    const db2 = tempStore()
    const one = await importImageFolder(db1, tree, settings, undefined, undefined, { poolFrom: Infinity })
    const pooled = await importImageFolder(db2, tree, settings, undefined, undefined, { poolFrom: 1 })
    expect(pooled.rowCount).toBe(606)
    expect(pooled.skippedTotal).toBeGreaterThan(3)
    const [a, b] = [stored(db2, pooled) as Record<string, unknown>, stored(db1, one) as Record<string, unknown>]
    // Field by field, so a difference names its field instead of one folded object.
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) expect(a[key], key).toEqual(b[key])
  }, 60_000)

  it('a cancelled pooled import writes nothing', async () => {
    const tree = await folder()
    const db = tempStore()
    const ac = new AbortController()
    const p = importImageFolder(db, tree, { width: 16, height: 16 }, (pr) => {
      if (pr.phase === 'encoding') ac.abort()
    }, ac.signal, { poolFrom: 1 })
    await expect(p).rejects.toThrow(/cancel/i)
    expect((db.prepare('SELECT count(*) AS n FROM dataset_chunks').get() as { n: number }).n).toBe(0)
  }, 60_000)
})
