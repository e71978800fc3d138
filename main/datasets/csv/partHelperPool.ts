// A split CSV read's helper thread, started ahead of the read. Its code takes a few tenths of a
// second to load, during which the read would run on one core; an import worker that is warmed
// (a person previewing a file is about to import it) starts it early, and the read takes it ready.
import type { Worker } from 'node:worker_threads'
import { spawnDatasetHelper } from '../helper/spawn'

interface Standby {
  worker: Worker
  ready: boolean
  loaded: Promise<void>
}

let standby: Standby | null = null

/** Starts the standby helper thread unless one is there; resolves once it has loaded (or failed to). */
export function warmCsvPartHelper(): Promise<void> {
  if (standby) return standby.loaded
  const worker = spawnDatasetHelper('csvPartHelper')
  let settle = (): void => {}
  const s: Standby = { worker, ready: false, loaded: new Promise<void>((r) => (settle = r)) }
  const drop = (): void => {
    if (standby === s) standby = null
    settle()
  }
  worker.once('message', (m: { type: string }) => {
    if (m.type === 'hello') s.ready = true
    settle()
  })
  worker.once('error', drop)
  worker.once('exit', drop)
  // A standby thread must not keep the import worker (or a test) alive on its own.
  worker.unref()
  worker.postMessage({ type: 'hello' })
  standby = s
  return s.loaded
}

/** A helper thread for a split read: the standby one when there is one (`ready`: it has said hello), else a new one. */
export function takeCsvPartHelper(): { worker: Worker; ready: boolean } {
  const s = standby
  standby = null
  if (!s) return { worker: spawnDatasetHelper('csvPartHelper'), ready: false }
  s.worker.ref()
  return { worker: s.worker, ready: s.ready }
}
