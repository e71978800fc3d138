import type { Worker } from 'node:worker_threads'
import { ownBuffer, spawnDatasetHelper } from '../helper/spawn'
import { decodeImage, type Decoded, type DecodeSettings } from './decode'
import type { ImageEntry } from './scan'

/** Files per batch a helper thread decodes (one message each way per batch, not per file). */
export const IMAGE_BATCH = 256

/** Asks a helper thread to decode a batch of images. */
export interface ImageBatchRequest {
  type: 'imageBatch'
  id: number
  entries: Pick<ImageEntry, 'abs' | 'ext' | 'bytes' | 'rel' | 'label'>[]
  settings: DecodeSettings
}

/** One file's outcome in a batch: its pixels are at `slot` of the batch's pixel buffer when ok. */
export type BatchItem = { ok: true; slot: number; bytes: number; digest: string } | { ok: false; reason: string; bytes: number; digest: string }

/** A decoded batch: every file's outcome in order, and the pixels of those that decoded, packed. */
export interface ImageBatchResult {
  type: 'imageBatch'
  id: number
  items: BatchItem[]
  pixels: ArrayBuffer
}

/** Decodes a batch (in a helper thread): files one after another, pixels packed into one buffer. */
export async function decodeBatch(r: ImageBatchRequest): Promise<{ result: ImageBatchResult; transfer: ArrayBuffer[] }> {
  const per = r.settings.width * r.settings.height * r.settings.channels
  const decoded: Decoded[] = []
  for (const e of r.entries) decoded.push(await decodeImage(e as ImageEntry, r.settings, true))
  const pixels = new Uint8Array(decoded.filter((d) => d.ok).length * per)
  let slot = 0
  const items: BatchItem[] = decoded.map((d) => {
    if (!d.ok) return d
    pixels.set(d.pixels, slot * per)
    return { ok: true, slot: slot++, bytes: d.bytes, digest: d.digest }
  })
  const buf = ownBuffer(pixels)
  return { result: { type: 'imageBatch', id: r.id, items, pixels: buf }, transfer: [buf] }
}

/**
 * Decodes batches of images on a pool of helper threads (two: the machines this runs on have two
 * cores, and the calling thread has the rest of the import to do). Batches are handed out round
 * robin and their results come back in the order asked.
 */
export class ImageDecodePool {
  private readonly workers: Worker[]
  private readonly waiting = new Map<number, { resolve: (r: ImageBatchResult) => void; reject: (e: Error) => void }>()
  private nextId = 0

  constructor(size = 2) {
    this.workers = Array.from({ length: size }, () => {
      const w = spawnDatasetHelper()
      w.on('message', (m: ImageBatchResult | { type: 'error'; id: number; message: string }) => {
        const p = this.waiting.get(m.id)
        if (!p) return
        this.waiting.delete(m.id)
        if (m.type === 'imageBatch') p.resolve(m)
        else p.reject(new Error(m.message))
      })
      w.on('error', (e) => this.failAll(e))
      return w
    })
  }

  /** Decodes one batch; resolves with its items and packed pixels. */
  decode(entries: readonly ImageEntry[], settings: DecodeSettings): Promise<ImageBatchResult> {
    const id = this.nextId++
    const req: ImageBatchRequest = { type: 'imageBatch', id, entries: entries.map((e) => ({ abs: e.abs, ext: e.ext, bytes: e.bytes, rel: e.rel, label: e.label })), settings }
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.workers[id % this.workers.length].postMessage(req)
    })
  }

  private failAll(e: Error): void {
    for (const p of this.waiting.values()) p.reject(e)
    this.waiting.clear()
  }

  /** Stops the helper threads. */
  async close(): Promise<void> {
    this.failAll(new Error('the decode pool was closed'))
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}
