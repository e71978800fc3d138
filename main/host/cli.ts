/**
 * Entry point of the browser host (out/main/host.js): the same core as the desktop app, served to a
 * browser over HTTP + WebSocket on 127.0.0.1 with a per-start token.
 */
import { join, resolve } from 'node:path'
import { version } from '../../package.json'
import { createCore } from '../core/createCore'
import { acquireDataDirLock, type DataDirLock } from '../core/dataDirLock'
import { isAppError } from '../../common/errors'
import { defaultDataDir } from '../core/paths'
import { HOST_USAGE, parseHostArgs } from './args'
import { startHost } from './server'

async function main(): Promise<void> {
  let args
  try {
    args = parseHostArgs(process.argv.slice(2))
  } catch (e) {
    console.error(`neural-workbench host: ${(e as Error).message}\n${HOST_USAGE}`)
    process.exit(2)
  }
  if (args.help) {
    console.log(HOST_USAGE)
    return
  }
  const dataDir = resolve(args.dataDir ?? defaultDataDir())
  // One app per data folder: taken before the database is opened, so a refused start touches nothing.
  let lock: DataDirLock
  try {
    lock = acquireDataDirLock(dataDir, 'browser')
  } catch (e) {
    console.error(`neural-workbench host: ${isAppError(e) ? e.message : String(e)}`)
    process.exit(isAppError(e) && e.code === 'locked' ? 4 : 1)
  }
  let core
  try {
    core = createCore({ dataDir, transport: 'browser', appVersion: version, workerDir: __dirname, checkpointMs: checkpointMsFromEnv() })
  } catch (e) {
    lock.release()
    console.error(`neural-workbench host: ${isAppError(e) ? e.message : String(e)}`)
    process.exit(isAppError(e) ? 3 : 1)
  }
  const host = await startHost({
    core,
    staticDir: args.staticDir ?? join(__dirname, '../renderer'),
    host: args.host,
    port: args.port,
    token: args.token,
  })
  if (!['127.0.0.1', 'localhost', '::1'].includes(args.host)) {
    console.warn(`Warning: bound to ${args.host}; anyone who can reach it and has the token can use this workbench.`)
  }
  console.log(`Neural Workbench ${version} (browser host)`)
  console.log(`  database: ${core.dbPath}`)
  console.log(`  open:     ${host.url}`)
  // The lock names the URL before the ready line, so whoever reads that line and starts another app
  // on this folder gets a refusal that names this one's URL.
  lock.setUrl(host.url)
  // A line for scripts and tests to read.
  console.log(`WORKBENCH_URL=${host.url}`)
  const stop = () => {
    void host
      .close()
      .then(() => core.close())
      .finally(() => {
        lock.release()
        process.exit(0)
      })
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/** NEURAL_WORKBENCH_CHECKPOINT_MS: the interval of mid-epoch checkpoints (ms); the crash tests shorten it. */
function checkpointMsFromEnv(): number | undefined {
  const v = Number(process.env.NEURAL_WORKBENCH_CHECKPOINT_MS)
  return Number.isFinite(v) && v > 0 ? v : undefined
}

void main()
