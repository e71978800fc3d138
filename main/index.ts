/** Electron main process: opens the store, creates the hardened window and bridges the contract over IPC. */
import { app, dialog, type BrowserWindow } from 'electron'
import { version } from '../package.json'
import { createCore, type Core } from './core/createCore'
import { acquireDataDirLock, type DataDirLock } from './core/dataDirLock'
import { isAppError } from '../common/errors'
import { DATA_DIR_ENV } from './core/paths'
import { registerIpc } from './ipc/register'
import { createMainWindow, lockDownSession } from './window'

function dataDirFromArgs(): string {
  const flag = process.argv.find((a) => a.startsWith('--data-dir='))
  return flag?.slice('--data-dir='.length) || process.env[DATA_DIR_ENV] || app.getPath('userData')
}

let core: Core | null = null
let lock: DataDirLock | null = null
let mainWindow: BrowserWindow | null = null

// One desktop app per profile: a second launch hands its turn to the first, which comes forward.
const primary = app.requestSingleInstanceLock()
if (!primary) app.quit()
app.on('second-instance', () => {
  if (!mainWindow || mainWindow.isDestroyed()) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
})

app.enableSandbox()
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (ev, url) => {
    if (!url.startsWith('file://') && !url.startsWith(process.env.ELECTRON_RENDERER_URL ?? '\0')) ev.preventDefault()
  })
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
})

void app.whenReady().then(() => {
  if (!primary) return
  lockDownSession()
  const dataDir = dataDirFromArgs()
  try {
    // One app per data folder (a browser host on the same folder counts too); taken before the database opens.
    lock = acquireDataDirLock(dataDir, 'desktop')
  } catch (e) {
    const message = isAppError(e) ? e.message : String(e)
    console.error(`neural-workbench: ${message}`)
    dialog.showErrorBox('Neural Workbench is already running', message)
    app.exit(4)
    return
  }
  try {
    core = createCore({ dataDir, transport: 'electron', appVersion: version, workerDir: __dirname })
  } catch (e) {
    lock.release()
    const message = isAppError(e) ? e.message : String(e)
    // Also on stderr, so `npm start` shows what to run.
    console.error(`neural-workbench: ${message}`)
    dialog.showErrorBox('Neural Workbench cannot open its database', message)
    app.exit(3)
    return
  }
  const { win, isAppUrl } = createMainWindow()
  mainWindow = win
  const unregister = registerIpc(core, win, isAppUrl)
  win.on('closed', unregister)
})

app.on('window-all-closed', () => {
  const closing = core?.close()
  core = null
  // Running trainings get a few seconds to checkpoint before the app quits.
  void Promise.resolve(closing).finally(() => {
    lock?.release()
    lock = null
    app.quit()
  })
})
