import * as tf from '@tensorflow/tfjs'
import type Database from 'better-sqlite3'
import type { RunState } from '../../common/contract'
import { isAppError } from '../../common/errors'
import { selectBackend } from './backends/select'
import { fitRun, type FitControl } from './fitLoop'
import type { FromWorker, ToWorker } from './protocol'
import { encodeBackendRecord, getRun, heartbeat, setBackendRecord, setRunState, type BackendRecord } from '../store/queries/runRecords'
import { TaskServer } from './serveTasks'
import { openWorkerDb } from '../store/workerDb'

/** The message port a training worker talks through (worker_threads' parentPort or a MessagePort). */
export interface PortLike {
  postMessage(msg: FromWorker): void
  on(event: 'message', listener: (msg: ToWorker) => void): void
}

const HEARTBEAT_MS = 2000

function describe(e: unknown): string {
  if (isAppError(e)) return e.message
  const err = e as { code?: string; message?: string }
  if (err?.code === 'SQLITE_FULL') return 'The disk is full: the run was stopped and its last checkpoint kept. Free some space and resume it.'
  if (/out of memory|Cannot allocate|OOM|memory access out of bounds/i.test(err?.message ?? '')) {
    return `Out of memory: ${err.message}. Try a smaller batch size or model.`
  }
  return err?.message ?? String(e)
}

/**
 * Runs one training run for a worker: opens its own database connection, picks the backend,
 * trains, and reports state, progress and epochs through the port. Pause, resume and stop arrive
 * as messages; a failure marks the run failed with the error's text and never throws. The same
 * worker also serves inference tasks (evaluation, predictions, try-it, export), one at a time.
 */
export function serveTraining(port: PortLike): void {
  let paused = false
  let stop = false
  let wake: (() => void) | null = null
  const control: FitControl = {
    get stopRequested() {
      return stop
    },
    waitWhilePaused: () => (paused && !stop ? new Promise<void>((r) => (wake = r)) : Promise.resolve()),
  }
  let db: Database.Database | null = null
  let runId = 0
  const setState = (state: RunState, extra: Parameters<typeof setRunState>[3] = {}) => {
    if (db) setRunState(db, runId, state, extra)
    port.postMessage({ type: 'state', state })
  }
  let tasks: TaskServer | null = null
  let taskChain: Promise<void> = Promise.resolve()
  port.on('message', (msg) => {
    if (msg.type === 'task') {
      const server = (tasks ??= new TaskServer())
      // One task at a time: they share the worker's tf engine and its loaded models.
      const report = (progress: unknown) => port.postMessage({ type: 'taskProgress', id: msg.id, progress })
      taskChain = taskChain.then(async () => port.postMessage({ type: 'taskResult', id: msg.id, result: await server.handle(msg.dbPath, msg.task, msg.id, report) }))
    } else if (msg.type === 'cancelTask') {
      ;(tasks ??= new TaskServer()).cancel(msg.id)
    } else if (msg.type === 'pause' && !paused) {
      paused = true
      setState('paused')
    } else if (msg.type === 'resume' && paused) {
      paused = false
      setState('running')
      wake?.()
    } else if (msg.type === 'stop') {
      stop = true
      wake?.()
    } else if (msg.type === 'start') {
      runId = msg.runId
      void run(msg)
    }
  })

  async function run(msg: Extract<ToWorker, { type: 'start' }>): Promise<void> {
    let timer: ReturnType<typeof setInterval> | null = null
    try {
      db = openWorkerDb(msg.dbPath)
      const conn = db
      const owner = msg.owner
      if (owner) heartbeat(conn, runId, owner)
      timer = setInterval(() => heartbeat(conn, runId, owner), HEARTBEAT_MS)
      const config = getRun(db, runId).config
      const backend = await selectBackend(config.backend ?? 'auto')
      const device = backend.device ?? null
      port.postMessage({ type: 'backend', name: backend.name, reason: backend.reason, device, tried: backend.tried })
      // The faster rungs' errors are kept verbatim on the run, so a GPU setup problem can be read in the app.
      const record: BackendRecord = { reason: backend.reason, device, tried: backend.tried }
      setState('running', { backend: backend.name, backendReason: encodeBackendRecord(record), error: null })
      const onStepper = (stepper: NonNullable<BackendRecord['stepper']>) => {
        setBackendRecord(conn, runId, { ...record, stepper })
        port.postMessage({ type: 'stepper', stepper })
      }
      const result = await fitRun({ tf, db, runId, resume: msg.resume, control, emit: (m) => port.postMessage(m), checkpointMs: msg.checkpointMs, cores: msg.coreShare, onStepper })
      setState(result)
      port.postMessage({ type: 'done', state: result })
    } catch (e) {
      const error = describe(e)
      try {
        setState('failed', { error })
      } catch {
        // The database itself may be what failed; the message still reaches main.
      }
      port.postMessage({ type: 'done', state: 'failed', error })
    } finally {
      if (timer) clearInterval(timer)
      db?.close()
      db = null
    }
  }
}
