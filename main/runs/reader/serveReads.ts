import type Database from 'better-sqlite3'
import { isAppError } from '../../../common/errors'
import { openWorkerDb } from '../../store/workerDb'
import { runRead } from './handlers'
import { SLOW_QUERY_MS, type ReadReply, type ReadRequest } from './protocol'

/** The message port a read worker talks through (worker_threads' parentPort or a MessagePort). */
export interface ReadPortLike {
  postMessage(msg: ReadReply): void
  on(event: 'message', listener: (msg: ReadRequest) => void): void
}

/**
 * Serves heavy reads (runs table pages, chart series, CSV exports) from a worker thread with its
 * own connection, so one big query never stalls main's event loop. Replies are data, never throws;
 * a query slower than SLOW_QUERY_MS is reported by name for main's log.
 */
export function serveReads(port: ReadPortLike, dbPath: string): void {
  let db: Database.Database | null = null
  port.on('message', (req) => {
    const t0 = performance.now()
    try {
      db ??= openWorkerDb(dbPath)
      const value = runRead(db, dbPath, req.name, req.input)
      port.postMessage({ type: 'result', id: req.id, ok: true, value })
    } catch (e) {
      if (isAppError(e)) port.postMessage({ type: 'result', id: req.id, ok: false, code: e.code, message: e.message, details: e.details })
      else port.postMessage({ type: 'result', id: req.id, ok: false, code: 'internal', message: `${req.name} failed: ${(e as Error)?.message ?? String(e)}` })
    }
    const ms = performance.now() - t0
    if (ms > SLOW_QUERY_MS) port.postMessage({ type: 'slow', name: req.name, ms: Math.round(ms) })
  })
}
