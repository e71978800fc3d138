import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { readChunks, type ImageBatch } from '../../../main/datasets/chunks/read'
import { isCancelled } from '../../../main/datasets/errors'
import { importImageFolder } from '../../../main/datasets/images/import'
import { previewImageFolder } from '../../../main/datasets/images/preview'
import { getDatasetVersion } from '../../../main/store/queries/datasets'
import { tempDir } from '../../helpers/tmp'
import { expectAppError, imageFixture, tableCounts, tempStore } from './support'

const MIXED = imageFixture('mixed')
const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : 1)
const NOT_IN_CLASS = 'not inside a class folder (put each class in its own subfolder)'

function pixelsOf(db: ReturnType<typeof tempStore>, versionId: number): Map<number, { label: number; px: Uint8Array }> {
  const out = new Map<number, { label: number; px: Uint8Array }>()
  for (const b of readChunks(db, versionId, 'all') as Generator<ImageBatch>) {
    const n = b.height * b.width * b.channels
    for (let k = 0; k < b.rows; k++) out.set(b.rowIndex[k], { label: b.labels[k], px: b.pixels.slice(k * n, (k + 1) * n) })
  }
  return out
}

describe('previewImageFolder', () => {
  it('lists classes with counts and samples, and every file it will skip with the reason', async () => {
    const p = await previewImageFolder(MIXED, { samplesPerClass: 2 })
    expect(p.mode).toBe('folders')
    expect(p.classes.map((c) => [c.name, c.count, c.samples.map((s) => s.path)])).toEqual([
      ['cat', 3, ['cat/grey.jpg', 'cat/rotated.jpg']],
      ['dog', 6, ['dog/black.webp', 'dog/huge.png']],
    ])
    expect(p.images).toBe(9)
    expect(p.hidden).toBe(3)
    expect([...p.skipped].sort(byPath)).toEqual([
      { path: 'cat/empty.png', reason: 'empty file (0 bytes)' },
      { path: 'cat/notes.png', reason: 'not an image: its first bytes are not those of a PNG, JPEG, WebP or GIF file' },
      { path: 'dog/readme.txt', reason: 'not an image file name (.txt; PNG, JPEG, WebP and GIF are read)' },
      { path: 'dog/really-a-png.jpg', reason: 'named .jpg but it is a PNG image (mislabelled extension)' },
      { path: 'labels.csv', reason: NOT_IN_CLASS },
      { path: 'stray.png', reason: NOT_IN_CLASS },
    ])
  })

  it('refuses a missing folder and a file, naming them', async () => {
    await expectAppError(previewImageFolder(imageFixture('nope')), 'not_found', 'nope: no such folder')
    await expectAppError(previewImageFolder(imageFixture('outside.png')), 'invalid_input', 'outside.png: is a file')
  })
})

describe('importImageFolder', () => {
  it('stores the readable images and lists every skipped file with its reason', async () => {
    const db = tempStore()
    const r = await importImageFolder(db, MIXED, { width: 10, height: 20, channels: 1, fit: 'fill' })
    expect(r).toMatchObject({ name: 'mixed', rowCount: 6, classes: ['cat', 'dog'], classCounts: { cat: 3, dog: 3 }, hidden: 3, skippedTotal: 9 })
    const skipped = [...r.skipped].sort(byPath)
    expect(skipped.filter((s) => !s.reason.startsWith('corrupt'))).toEqual([
      { path: 'cat/empty.png', reason: 'empty file (0 bytes)' },
      { path: 'cat/notes.png', reason: 'not an image: its first bytes are not those of a PNG, JPEG, WebP or GIF file' },
      { path: 'dog/huge.png', reason: 'image is 20000 x 20000 (400 megapixels), over the 40 megapixels limit' },
      { path: 'dog/readme.txt', reason: 'not an image file name (.txt; PNG, JPEG, WebP and GIF are read)' },
      { path: 'dog/really-a-png.jpg', reason: 'named .jpg but it is a PNG image (mislabelled extension)' },
      { path: 'labels.csv', reason: NOT_IN_CLASS },
      { path: 'stray.png', reason: NOT_IN_CLASS },
    ])
    expect(skipped.filter((s) => s.reason.startsWith('corrupt')).map((s) => s.path)).toEqual(['dog/truncated.jpg', 'dog/truncated.png'])
    for (const s of skipped.filter((x) => x.reason.startsWith('corrupt'))) expect(s.reason).toMatch(/^corrupt or truncated image data \(.+\)$/)
    const v = getDatasetVersion(db, r.versionId)
    expect(v?.schema).toMatchObject({ kind: 'image', height: 20, width: 10, channels: 1, classes: ['cat', 'dog'], skipped: { total: 9 } })
    expect(v?.augment).toEqual({ horizontalFlip: false, verticalFlip: false, rotationDegrees: 0, shift: 0, zoom: 0, brightness: 0 })
    expect(v?.sourceHash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('applies EXIF orientation, reads the first GIF frame, flattens transparency onto white', async () => {
    const db = tempStore()
    const r = await importImageFolder(db, MIXED, { width: 10, height: 20, channels: 1, fit: 'fill', split: { stratify: false, train: 1, validation: 0, test: 0 } })
    const rows = pixelsOf(db, r.versionId)
    // Row order follows the files in name order: cat/grey, cat/rotated, cat/white, dog/black, dog/nested/anim, dog/transparent.
    const [grey, rotated, white, black, anim, transparent] = [0, 1, 2, 3, 4, 5].map((i) => rows.get(i) as { label: number; px: Uint8Array })
    expect([grey.label, white.label, black.label, anim.label]).toEqual([0, 0, 1, 1])
    expect(Math.abs(grey.px[0] - 128)).toBeLessThan(4)
    expect(white.px.every((x) => x === 255)).toBe(true)
    expect(black.px.every((x) => x === 0)).toBe(true)
    expect(anim.px.every((x) => x === 0)).toBe(true)
    expect(transparent.px.every((x) => x === 255)).toBe(true)
    // Stored 20 x 10 with the black half left; orientation 6 turns it upright: 10 x 20, black on top.
    expect(rotated.px[0]).toBeLessThan(30)
    expect(rotated.px[19 * 10 + 9]).toBeGreaterThan(225)
  })

  it('converts to RGB when asked', async () => {
    const db = tempStore()
    const r = await importImageFolder(db, MIXED, { width: 4, height: 4, channels: 3 })
    const [first] = [...readChunks(db, r.versionId, 'all')] as ImageBatch[]
    expect(first).toMatchObject({ height: 4, width: 4, channels: 3 })
    expect(first.pixels.length).toBe(first.rows * 48)
  })

  it('stores 16-bit images as 8-bit samples', async () => {
    const root = tempDir('nw-deep-')
    mkdirSync(join(root, 'grey'))
    const png16 = await sharp({ create: { width: 6, height: 6, channels: 3, background: '#808080' } }).toColourspace('rgb16').png().toBuffer()
    writeFileSync(join(root, 'grey', 'deep.png'), png16)
    expect((await sharp(png16).metadata()).depth).toBe('ushort')
    const db = tempStore()
    for (const channels of [1, 3] as const) {
      const r = await importImageFolder(db, root, { width: 3, height: 3, channels, split: { train: 1, validation: 0, test: 0 } })
      const [b] = [...readChunks(db, r.versionId, 'train')] as ImageBatch[]
      expect(b.pixels.length).toBe(9 * channels)
      expect(Math.abs(b.pixels[0] - 128)).toBeLessThan(3)
    }
  })

  it('reads a labels CSV, skipping missing, repeated, outside and unlabelled entries', async () => {
    const db = tempStore()
    const r = await importImageFolder(db, MIXED, { labelsCsv: 'labels.csv', width: 8, height: 8 })
    expect(r).toMatchObject({ rowCount: 3, classes: ['dark', 'light'], classCounts: { dark: 1, light: 2 } })
    expect(r.skipped).toEqual([
      { path: 'dog/missing.png', reason: 'listed in the labels CSV (line 5) but not found' },
      { path: 'cat/white.png', reason: 'listed twice in the labels CSV (again on line 6)' },
      { path: '../outside.png', reason: 'outside the chosen folder (labels CSV line 7)' },
      { path: 'dog/nested/anim.gif', reason: 'no label (labels CSV line 8)' },
    ])
  })

  it.skipIf(process.platform === 'win32')('follows symbolic links inside the folder and never out of it', async () => {
    const root = tempDir('nw-links-')
    const outside = tempDir('nw-outside-')
    mkdirSync(join(root, 'a'))
    copyFileSync(join(MIXED, 'cat', 'white.png'), join(root, 'a', 'img.png'))
    copyFileSync(join(MIXED, 'cat', 'white.png'), join(outside, 'secret.png'))
    symlinkSync(join(root, 'a', 'img.png'), join(root, 'a', 'link-in.png'))
    symlinkSync(join(outside, 'secret.png'), join(root, 'a', 'link-out.png'))
    symlinkSync(outside, join(root, 'b'))
    symlinkSync(root, join(root, 'a', 'loop'))
    symlinkSync(join(root, 'nowhere.png'), join(root, 'a', 'broken.png'))
    const db = tempStore()
    const r = await importImageFolder(db, root, { width: 4, height: 4 })
    expect(r).toMatchObject({ rowCount: 2, classes: ['a'] })
    expect([...r.skipped].sort(byPath)).toEqual([
      { path: 'a/broken.png', reason: 'broken symbolic link' },
      { path: 'a/link-out.png', reason: 'symbolic link pointing outside the chosen folder (not followed)' },
      { path: 'b', reason: 'symbolic link pointing outside the chosen folder (not followed)' },
    ])
  })

  it('refuses images over the pixel limit from their header', async () => {
    const db = tempStore()
    await expectAppError(importImageFolder(db, MIXED, { maxPixels: 50 }), 'invalid_input', 'none of its 12 image files could be read', '(cat/empty.png: empty file (0 bytes); cat/grey.jpg: image is 16 x 16 (256 pixels), over the 50 pixels limit')
    expect(tableCounts(db).datasets).toBe(0)
  })

  it('validates augmentation settings and stores them', async () => {
    const db = tempStore()
    await expectAppError(importImageFolder(db, MIXED, { augment: { rotationDegrees: 90 } }), 'invalid_input', 'field "augment.rotationDegrees"')
    const r = await importImageFolder(db, MIXED, { augment: { horizontalFlip: true, zoom: 0.1 } })
    expect(getDatasetVersion(db, r.versionId)?.augment).toMatchObject({ horizontalFlip: true, zoom: 0.1, verticalFlip: false })
  })

  it('a cancel rolls everything back', async () => {
    const db = tempStore()
    await importImageFolder(db, MIXED)
    const before = tableCounts(db)
    const ac = new AbortController()
    let caught: unknown
    try {
      await importImageFolder(db, MIXED, {}, () => ac.abort(), ac.signal)
    } catch (e) {
      caught = e
    }
    expect(isCancelled(caught)).toBe(true)
    expect(tableCounts(db)).toEqual(before)
  })

  it('makes a new version of an image dataset', async () => {
    const db = tempStore()
    const a = await importImageFolder(db, MIXED)
    const b = await importImageFolder(db, MIXED, { datasetId: a.datasetId, width: 8, height: 8 })
    expect(b).toMatchObject({ datasetId: a.datasetId, version: 2 })
    expect(b.sameSourceAs.map((s) => s.versionId)).toEqual([a.versionId])
  })

  it('refuses a folder without images', async () => {
    const db = tempStore()
    const empty = tempDir('nw-empty-')
    await expectAppError(importImageFolder(db, empty), 'invalid_input', 'has no image files')
  })
})
