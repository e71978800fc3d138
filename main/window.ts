import { BrowserWindow, session, shell } from 'electron'
import { join } from 'node:path'

/** https links the app may open in the system browser. */
const EXTERNAL_ALLOW = [/^https:\/\/(www\.)?tensorflow\.org\//, /^https:\/\/github\.com\//]

/** Denies every permission request (camera, notifications, ...) for every session. */
export function lockDownSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
}

/** Creates the main window with the hardened settings and returns it with its app-URL test. */
export function createMainWindow(): { win: BrowserWindow; isAppUrl: (url: string) => boolean } {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Neural Workbench',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  const devUrl = process.env.ELECTRON_RENDERER_URL
  const indexFile = join(__dirname, '../renderer/index.html')
  const fileUrl = new URL(`file://${indexFile}`).href
  const isAppUrl = (url: string) => (devUrl ? url.startsWith(devUrl) : url.split(/[?#]/)[0] === fileUrl)

  win.webContents.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault()
  })
  win.webContents.on('will-attach-webview', (e) => e.preventDefault())
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (EXTERNAL_ALLOW.some((re) => re.test(url))) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.once('ready-to-show', () => win.show())
  if (devUrl) void win.loadURL(devUrl)
  else void win.loadFile(indexFile)
  return { win, isAppUrl }
}
