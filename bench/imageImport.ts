/**
 * Benchmark `image_import`: imports a generated class-folder tree (10 classes, 20,000 28x28 grey
 * PNGs and a few large JPEGs) into a fresh store, everything the import does included (scan,
 * decode, EXIF, resize, checks, split, chunks, commit), and compares images/s with Pillow decoding
 * and resizing the same folder into one array (../shared/bench/pillow_images_reference.py), in
 * the same run, alternating ours / Pillow. Each side runs in its own process.
 *
 *   npx tsx bench/imageImport.ts            # prints one JSON line
 *
 * The tree is generated once (deterministic) under .bench/ (gitignored).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { seededRandom } from '../common/datasets/prng'
import { importImageFolder } from '../main/datasets/images/import'
import { openStore } from '../main/store/open'
import { median, round } from './stats'

const CLASSES = 10
const PER_CLASS = 2000
const LARGE_JPEGS = 4
const REPO = resolve(__dirname, '..')
const TREE = join(REPO, '.bench', 'image_import_v1')
const PILLOW_SCRIPT = resolve(REPO, '..', 'shared', 'bench', 'pillow_images_reference.py')
const PYTHON = '/usr/bin/python3'

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A 28x28 8-bit grey PNG (filter None on every row). */
function greyPng(pixels: Uint8Array, w: number, h: number): Buffer {
  const raw = Buffer.alloc(h * (w + 1))
  for (let y = 0; y < h; y++) raw.set(pixels.subarray(y * w, (y + 1) * w), y * (w + 1) + 1)
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 8
  ihdr[9] = 0
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

/** Writes the tree: blobs of a class-dependent shape with noise, and a few large photos-like JPEGs. */
async function generate(dir: string): Promise<void> {
  const tmp = `${dir}.partial`
  rmSync(tmp, { recursive: true, force: true })
  const r = seededRandom(7)
  const px = new Uint8Array(28 * 28)
  for (let c = 0; c < CLASSES; c++) {
    const cls = join(tmp, `class_${c}`)
    mkdirSync(cls, { recursive: true })
    for (let i = 0; i < PER_CLASS; i++) {
      const cx = 8 + c + r() * 4
      const cy = 14 + (r() - 0.5) * 6
      for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) px[y * 28 + x] = Math.max(0, Math.min(255, 255 - ((x - cx) ** 2 + (y - cy) ** 2) * 6 + r() * 40))
      writeFileSync(join(cls, `${String(i).padStart(5, '0')}.png`), greyPng(px, 28, 28))
    }
  }
  for (let k = 0; k < LARGE_JPEGS; k++) {
    const w = 3000
    const h = 2000
    const raw = Buffer.alloc(w * h * 3)
    for (let i = 0; i < raw.length; i++) raw[i] = (i * (k + 3)) % 251
    await sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 85 }).toFile(join(tmp, `class_${k % CLASSES}`, `large_${k}.jpg`))
  }
  renameSync(tmp, dir)
}

interface Run {
  images: number
  seconds: number
  imagesPerSecond: number
  peakMb: number
}

/** The child side: one import into a fresh store, timed around importImageFolder. */
async function child(dir: string): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'nw-bench-img-'))
  try {
    const db = openStore(join(tmp, 'bench.sqlite'))
    const t0 = performance.now()
    const r = await importImageFolder(db, dir, { width: 28, height: 28, channels: 1 })
    const seconds = (performance.now() - t0) / 1000
    db.close()
    const run: Run = { images: r.rowCount, seconds, imagesPerSecond: r.rowCount / seconds, peakMb: process.resourceUsage().maxRSS / 1024 }
    process.stdout.write(JSON.stringify(run) + '\n')
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

function lastJson(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>
}

function ours(dir: string): Run {
  const p = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', dir], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 24 })
  if (p.status !== 0) throw new Error(`image import child failed: ${p.stderr}`)
  return lastJson(p.stdout) as unknown as Run
}

function pillow(dir: string): Run | null {
  const p = spawnSync(PYTHON, [PILLOW_SCRIPT, dir, '--size', '28', '--channels', '1'], { encoding: 'utf8', maxBuffer: 1 << 24 })
  if (p.status !== 0) return null
  const j = lastJson(p.stdout)
  return { images: j.images as number, seconds: j.seconds as number, imagesPerSecond: j.images_per_s as number, peakMb: j.peak_mb as number }
}



/** Runs the case and returns its JSON record (see ../shared/bench/README.md). */
export async function benchImageImport(): Promise<object> {
  if (!existsSync(TREE)) {
    process.stderr.write(`generating ${TREE} (${(CLASSES * PER_CLASS).toLocaleString('en-US')} PNGs and ${LARGE_JPEGS} large JPEGs, once)...\n`)
    await generate(TREE)
  }
  const pairs: { ours: Run; pillow: Run | null }[] = []
  for (let k = 0; k < 3; k++) {
    const o = ours(TREE)
    const p = pillow(TREE)
    pairs.push({ ours: o, pillow: p })
    process.stderr.write(
      `round ${k + 1}: ours ${round(o.imagesPerSecond, 0)} images/s, peak ${round(o.peakMb)} MB; pillow ${p ? `${round(p.imagesPerSecond, 0)} images/s, peak ${round(p.peakMb)} MB (ratio ${round(o.imagesPerSecond / p.imagesPerSecond, 3)})` : 'missing'}\n`,
    )
  }
  const ref = pairs.every((p) => p.pillow) ? pairs.map((p) => p.pillow as Run) : null
  return {
    case: 'image_import',
    ours: round(median(pairs.map((p) => p.ours.imagesPerSecond)), 0),
    reference: ref ? round(median(ref.map((r) => r.imagesPerSecond)), 0) : null,
    unit: 'images/s',
    ratio: ref ? round(median(pairs.map((p, i) => p.ours.imagesPerSecond / ref[i].imagesPerSecond)), 3) : null,
    better: 'higher',
    reference_name: ref ? 'pillow, one thread, decode + resize into one array' : 'pillow missing (apt-get install -y python3-pil)',
    ours_peak_mb: round(Math.max(...pairs.map((p) => p.ours.peakMb))),
    reference_peak_mb: ref ? round(Math.max(...ref.map((r) => r.peakMb))) : null,
    pair_ratios: ref ? pairs.map((p, i) => round(p.ours.imagesPerSecond / ref[i].imagesPerSecond, 3)) : null,
    images: pairs[0].ours.images,
  }
}

if (require.main === module) {
  const i = process.argv.indexOf('--child')
  const run = i >= 0 ? child(process.argv[i + 1]) : benchImageImport().then((r) => process.stdout.write(JSON.stringify(r) + '\n'))
  run.catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`)
    process.exitCode = 1
  })
}
