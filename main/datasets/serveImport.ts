import type Database from 'better-sqlite3'
import { isAppError } from '../../common/errors'
import { openWorkerDb } from '../store/workerDb'
import { checkpointAfterImport } from './commit'
import { importCsv } from './csv/import'
import { warmCsvPartHelper } from './csv/partHelperPool'
import type { FromImportWorker, ToImportWorker } from './importProtocol'

/** The port an import worker talks through. */
export interface ImportPortLike {
  postMessage(msg: FromImportWorker): void
  on(event: 'message', listener: (msg: ToImportWorker) => void): void
}

/**
 * Runs one import for a worker thread on its own database connection, posting progress, and
 * aborting (everything rolled back) on 'cancel'. Never throws: failures are posted as data.
 */
export function serveImport(port: ImportPortLike): void {
  const abort = new AbortController()
  port.on('message', (msg) => {
    if (msg.type === 'cancel') abort.abort()
    else if (msg.type === 'warm') void warmCsvPartHelper().then(() => port.postMessage({ type: 'warm' }))
    else void run(msg)
  })
  async function run(msg: Extract<ToImportWorker, { type: 'start' }>): Promise<void> {
    let db: Database.Database | null = null
    try {
      db = openWorkerDb(msg.dbPath)
      const onProgress = (progress: Parameters<NonNullable<Parameters<typeof importCsv>[3]>>[0]) => port.postMessage({ type: 'progress', progress })
      const r = msg.request
      const result =
        r.kind === 'csv'
          ? await importCsv(db, r.path, r.options, onProgress, abort.signal)
          : // Loaded on first use: sharp (libvips) is only needed for image folders.
            await (await import('./images/import')).importImageFolder(db, r.path, r.options, onProgress, abort.signal)
      port.postMessage({ type: 'done', result: { datasetId: result.datasetId, versionId: result.versionId, version: result.version, name: result.name, rowCount: result.rowCount } })
      // The data is committed (in the WAL) and reported; folding it into the database file
      // happens here, off the person's wait and off main's thread.
      checkpointAfterImport(db)
    } catch (e) {
      if (isAppError(e)) port.postMessage({ type: 'error', code: e.code, message: e.message, details: e.details })
      else port.postMessage({ type: 'error', code: 'internal', message: (e as Error)?.message ?? String(e) })
    } finally {
      db?.close()
    }
  }
}
