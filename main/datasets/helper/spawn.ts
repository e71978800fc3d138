// Where a dataset helper thread's code is: the bundled datasetHelper.js or csvPartHelper.js
// beside the caller's bundle (or its parent, for code in a shared chunk), or else (dev tools: tsx, vitest) a small
// CommonJS bootstrap that registers tsx's require hook and loads the TypeScript entry; loader
// flags in execArgv do not take effect in Node 20 workers.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

/** The dataset helpers: image decoding batches (entry.ts) and a split CSV read's later part (csvPartEntry.ts). */
export type DatasetHelper = 'datasetHelper' | 'csvPartHelper'

const DEV_ENTRY: Record<DatasetHelper, string> = { datasetHelper: 'entry.ts', csvPartHelper: 'csvPartEntry.ts' }

function helperSource(helper: DatasetHelper): { source: string; eval: boolean } {
  for (const dir of [__dirname, join(__dirname, '..')]) {
    const bundled = join(dir, `${helper}.js`)
    if (existsSync(bundled)) return { source: bundled, eval: false }
  }
  const tsxApi = createRequire(__filename).resolve('tsx/cjs/api')
  const entry = join(__dirname, DEV_ENTRY[helper])
  return { source: `require(${JSON.stringify(tsxApi)}).register(); require(${JSON.stringify(entry)})`, eval: true }
}

/** Starts a dataset helper thread: image decoding batches, or (csvPartHelper) a split CSV read's later part. */
export function spawnDatasetHelper(helper: DatasetHelper = 'datasetHelper'): Worker {
  const where = helperSource(helper)
  return new Worker(where.source, { eval: where.eval })
}

/** A copy of `b` that owns its whole ArrayBuffer, so it can be transferred to another thread. */
export function ownBuffer(b: Uint8Array): ArrayBuffer {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) return b.buffer
  const copy = new ArrayBuffer(b.byteLength)
  new Uint8Array(copy).set(b)
  return copy
}
