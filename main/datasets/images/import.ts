import type { Database } from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { basename } from 'node:path'
import { findVersionsByHash } from '../../store/queries/datasets'
import { validateAugment, type AugmentSettings } from '../../../common/datasets/augment'
import { IMAGE_CHUNK_BYTES, encodeImageChunk } from '../chunks/format'
import { checkTargetDataset, commitVersion } from '../commit'
import { badInput, throwIfAborted } from '../errors'
import { ProgressTracker, type ProgressListener } from '../../../common/datasets/progress'
import { imageImportOptionsSchema, parseOptions, type ImageImportOptions } from '../../../common/datasets/schemas'
import { DEFAULT_SPLIT, SplitPlan, type SplitRecord, type SplitSpec } from '../../../common/datasets/split'
import { ChunkSpool, spoolFolder } from '../spool'
import type { ImageSchemaRecord, ImageStatsRecord, SkippedFile } from '../../../common/datasets/types'
import { IMAGE_BATCH, ImageDecodePool, type ImageBatchResult } from './batch'
import { DEFAULT_MAX_PIXELS, decodeImage, type Decoded, type DecodeSettings } from './decode'
import { scanImageFolder, type ImageEntry } from './scan'

/** What importImageFolder returns. */
export interface ImageImportResult {
  datasetId: number
  versionId: number
  version: number
  name: string
  /** Images stored. */
  rowCount: number
  byteSize: number
  classes: string[]
  classCounts: Record<string, number>
  /** Files left out with the reason (the first 1,000; `skippedTotal` counts all). */
  skipped: SkippedFile[]
  skippedTotal: number
  hidden: number
  split: SplitRecord
  augment: AugmentSettings
  sourceHash: string
  sameSourceAs: { datasetId: number; datasetName: string; versionId: number; version: number }[]
  seconds: number
}

/** Images decoded at a time in this thread (sharp also uses its own thread pool inside each). */
const PARALLEL = 4
/** Folders with at least this many images are decoded in batches on helper threads (below, starting them costs more). */
const POOL_FROM = 512
/** Batches in flight: two per helper thread, so neither waits for the next while this thread files the last. */
const BATCHES_IN_FLIGHT = 4
/** Skipped files listed one by one in the stored schema. */
const SKIPPED_LIST_LIMIT = 1000

/**
 * Imports a folder of images (one subfolder per class, or a labels CSV) as a new dataset, or as
 * version N+1 of `options.datasetId`. Every image is decoded (first frame, EXIF orientation
 * applied), resized to width x height and stored as uint8 pixels with its class; files that
 * cannot be used are skipped and listed with the reason. The split is stratified by class over
 * the files found; augmentation settings are validated and stored for training. Chunks wait in a
 * spool and are written in one transaction: a cancel or a failure leaves the database as it was.
 */
export async function importImageFolder(
  db: Database,
  folder: string,
  options: ImageImportOptions = {},
  onProgress?: ProgressListener,
  signal?: AbortSignal,
  /** Internal tuning (tests): folders from `poolFrom` images on are decoded on helper threads. */
  tuning: { poolFrom?: number } = {},
): Promise<ImageImportResult> {
  const started = performance.now()
  const o = parseOptions(imageImportOptionsSchema, options, 'image import')
  checkTargetDataset(db, o.datasetId, 'image')
  const augment = validateAugment(o.augment ?? {})
  const settings: DecodeSettings = {
    width: o.width ?? 28,
    height: o.height ?? 28,
    channels: o.channels ?? 1,
    fit: o.fit ?? 'cover',
    maxPixels: o.maxPixels ?? DEFAULT_MAX_PIXELS,
  }
  throwIfAborted(signal, folder)
  const poolFrom = tuning.poolFrom ?? POOL_FROM
  // The helper threads start while the scan is still listing a big folder, so they are ready when it ends.
  let pool: ImageDecodePool | null = null
  let scan
  try {
    scan = await scanImageFolder(folder, o.labelsCsv, (n) => {
      if (n === poolFrom) pool = new ImageDecodePool()
    })
  } catch (e) {
    await (pool as ImageDecodePool | null)?.close()
    throw e
  }
  const entries = scan.entries
  const totalBytes = entries.reduce((s, e) => s + e.bytes, 0)
  const progress = new ProgressTracker(folder, totalBytes, onProgress)
  progress.setPhase('encoding', entries.length, 0, 0)
  if (entries.length === 0) {
    await (pool as ImageDecodePool | null)?.close()
    const why = scan.skipped.slice(0, 3).map((s) => `${s.path}: ${s.reason}`).join('; ')
    throw badInput(folder, `has no image files${why ? ` (${why})` : ''}; put each class's images in its own subfolder`)
  }

  const classIndex = new Map(scan.classes.map((c, i) => [c, i] as const))
  const splitSpec: SplitSpec = { ...DEFAULT_SPLIT, ...o.split }
  const strataSizes = splitSpec.stratify ? scan.classes.map((c) => entries.filter((e) => e.label === c).length) : [entries.length]
  // Assignments are drawn per file found, so proportions are exact before any file is skipped.
  const plan = new SplitPlan(strataSizes, splitSpec)

  const per = settings.width * settings.height * settings.channels
  const rowsPerChunk = Math.max(1, Math.min(4096, Math.floor(IMAGE_CHUNK_BYTES / per)))
  const split = new Uint8Array(rowsPerChunk)
  const labels = new Int32Array(rowsPerChunk)
  const pixels = new Uint8Array(rowsPerChunk * per)
  const spool = new ChunkSpool(spoolFolder(db))
  const skipped: SkippedFile[] = [...scan.skipped]
  const classCounts: Record<string, number> = Object.fromEntries(scan.classes.map((c) => [c, 0]))
  const hash = createHash('sha256')
  let n = 0
  let bytesDone = 0
  const decoded = decodeAll(entries, settings, signal, folder, pool)
  try {
    for (let i = 0; i < entries.length; i++) {
      const d = (await decoded.next()).value as Decoded
      throwIfAborted(signal, folder)
      const e = entries[i]
      const label = classIndex.get(e.label) as number
      const code = plan.assign(splitSpec.stratify ? label : 0)
      bytesDone += d.bytes
      // The fingerprint covers every file found, used or not: its path, class and bytes.
      hash.update(`${e.rel}\0${e.label}\0${d.digest}\n`)
      if (!d.ok) {
        skipped.push({ path: e.rel, reason: d.reason })
      } else {
        split[n] = code
        labels[n] = label
        pixels.set(d.pixels, n * per)
        classCounts[e.label]++
        if (++n === rowsPerChunk) {
          spool.add(n, encodeImageChunk(n, split, labels, pixels, settings.height, settings.width, settings.channels))
          n = 0
        }
      }
      progress.update(i + 1, bytesDone, (0.95 * (i + 1)) / entries.length)
    }
    if (n > 0) spool.add(n, encodeImageChunk(n, split, labels, pixels, settings.height, settings.width, settings.channels))
    if (spool.rows === 0) {
      const why = skipped.slice(scan.skipped.length, scan.skipped.length + 3).map((s) => `${s.path}: ${s.reason}`).join('; ')
      throw badInput(folder, `none of its ${entries.length} image files could be read (${why})`)
    }
    throwIfAborted(signal, folder)

    const schema: ImageSchemaRecord = {
      kind: 'image',
      source: { folder: scan.root, labelsCsv: o.labelsCsv ?? null, files: entries.length, bytes: totalBytes },
      height: settings.height,
      width: settings.width,
      channels: settings.channels,
      fit: settings.fit,
      classes: scan.classes,
      skipped: { total: skipped.length, files: skipped.slice(0, SKIPPED_LIST_LIMIT) },
      rowsPerChunk,
    }
    const splitRecord: SplitRecord = {
      spec: splitSpec,
      stratifiedBy: splitSpec.stratify ? 'class' : null,
      counts: { train: plan.counts[0], validation: plan.counts[1], test: plan.counts[2] },
    }
    if (splitSpec.stratify) splitRecord.perClass = Object.fromEntries(scan.classes.slice(0, 100).map((c, s) => [c, plan.perStratum[s]]))
    const sourceHash = hash.digest('hex')
    const name = o.name ?? basename(scan.root)
    const sameSourceAs = findVersionsByHash(db, sourceHash)
    progress.setPhase('writing', spool.rows, bytesDone, 0.95)
    const ids = commitVersion(db, {
      datasetId: o.datasetId,
      name,
      kind: 'image',
      note: o.note ?? '',
      spool,
      version: {
        sourceName: basename(scan.root),
        sourceHash,
        schema,
        stats: { classCounts, images: spool.rows, skipped: skipped.length, hidden: scan.hidden } satisfies ImageStatsRecord,
        recipe: null,
        split: splitRecord,
        augment,
        rowCount: spool.rows,
        byteSize: spool.bytes,
      },
    })
    progress.setPhase('done', spool.rows, bytesDone, 1)
    return {
      ...ids,
      name,
      rowCount: spool.rows,
      byteSize: spool.bytes,
      classes: scan.classes,
      classCounts,
      skipped: skipped.slice(0, SKIPPED_LIST_LIMIT),
      skippedTotal: skipped.length,
      hidden: scan.hidden,
      split: splitRecord,
      augment,
      sourceHash,
      sameSourceAs,
      seconds: (performance.now() - started) / 1000,
    }
  } finally {
    // Stops the helper threads when the import ends early (a cancel, a failure).
    await decoded.return(undefined)
    await (pool as ImageDecodePool | null)?.close()
    spool.dispose()
  }
}

/**
 * Every entry's decoded image (or why not), in order. Big folders go to a pool of helper threads
 * in batches (one message per batch, not per file, and both cores busy); small ones are decoded
 * here, a few at a time.
 */
async function* decodeAll(entries: readonly ImageEntry[], settings: DecodeSettings, signal: AbortSignal | undefined, folder: string, pool: ImageDecodePool | null): AsyncGenerator<Decoded> {
  if (!pool) {
    const pending: Promise<Decoded>[] = []
    let next = 0
    const launch = (): void => {
      if (next < entries.length) pending.push(decodeImage(entries[next++], settings))
    }
    for (let k = 0; k < PARALLEL; k++) launch()
    for (let i = 0; i < entries.length; i++) {
      const d = await (pending.shift() as Promise<Decoded>)
      launch()
      yield d
    }
    return
  }
  const per = settings.width * settings.height * settings.channels
  const batches: Promise<ImageBatchResult>[] = []
  const launch = (b: number): void => {
    if (b * IMAGE_BATCH >= entries.length) return
    const batch = pool.decode(entries.slice(b * IMAGE_BATCH, (b + 1) * IMAGE_BATCH), settings)
    // Why: batches still in flight when the import stops (cancel, a bad file) are rejected by
    // pool.close() and never awaited; marking them handled keeps that from being an unhandled
    // rejection. A batch that is awaited still throws its error there.
    batch.catch(() => undefined)
    batches[b] = batch
  }
  try {
    for (let b = 0; b < BATCHES_IN_FLIGHT; b++) launch(b)
    for (let b = 0; b * IMAGE_BATCH < entries.length; b++) {
      const r = await batches[b]
      delete batches[b]
      throwIfAborted(signal, folder)
      launch(b + BATCHES_IN_FLIGHT)
      const pixels = new Uint8Array(r.pixels)
      for (const item of r.items) {
        yield item.ok ? { ok: true, pixels: pixels.subarray(item.slot * per, (item.slot + 1) * per), bytes: item.bytes, digest: item.digest } : item
      }
    }
  } finally {
    await pool.close()
  }
}
