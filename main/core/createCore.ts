import { join } from 'node:path'
import type { Result } from '../../preload/contract'
import { dispatch, type CallContext, type Handlers } from '../rpc/dispatch'
import { openStore, schemaVersion, type Db } from '../store'
import { getSettings, updateSettings } from '../store/queries/settings'
import { listRecent } from '../store/queries/recent'
import { deleteModel, getModel, getModelSummary, listModels, renameModel } from '../store/queries/models'
import { saveModel } from './modelService'
import { detectBackends, type BackendProbe } from '../system/backends'
import { EventBus, type EventListener } from './events'
import { DB_FILE_NAME } from './paths'

/** What the core needs to start. */
export interface CoreOptions {
  dataDir: string
  transport: CallContext['transport']
  appVersion: string
  backendProbe?: BackendProbe
}

/** The app's core as the transports see it: one validated entry point, events, and shutdown. */
export interface Core {
  readonly db: Db
  readonly dbPath: string
  call(method: unknown, input: unknown, byteSize?: number): Promise<Result<unknown>>
  onEvent(listener: EventListener): () => void
  close(): void
}

/** Opens the store and wires every service handler; throws AppError when the database cannot be used. */
export function createCore(opts: CoreOptions): Core {
  const dbPath = join(opts.dataDir, DB_FILE_NAME)
  const db = openStore(dbPath)
  const events = new EventBus()
  const ctx: CallContext = { transport: opts.transport }
  // Backend detection touches the filesystem; it is cheap but constant for a process, so do it once.
  const backend = detectBackends(opts.backendProbe)

  const handlers: Handlers = {
    'system.status': () => ({
      appVersion: opts.appVersion,
      transport: opts.transport,
      platform: `${process.platform}-${process.arch}`,
      nodeVersion: process.versions.node,
      dataDir: opts.dataDir,
      dbPath,
      schemaVersion: schemaVersion(db),
      backend,
    }),
    'settings.get': () => getSettings(db),
    'settings.update': (patch) => {
      const settings = updateSettings(db, patch)
      events.emit('settings.changed', settings)
      return settings
    },
    'recent.list': ({ section, limit }) => listRecent(db, section, limit),
    'models.list': () => listModels(db),
    'models.get': ({ modelId, version }) => getModel(db, modelId, version),
    'models.save': (input) => saveModel(db, input),
    'models.rename': ({ modelId, name }) => {
      renameModel(db, modelId, name)
      return getModelSummary(db, modelId)
    },
    'models.delete': ({ modelId }) => ({ deleted: deleteModel(db, modelId) }),
  }

  return {
    db,
    dbPath,
    call: (method, input, byteSize) => dispatch(handlers, method, input, ctx, byteSize),
    onEvent: (listener) => events.listen(listener),
    close: () => db.close(),
  }
}
