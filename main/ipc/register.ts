import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { METHOD_NAMES, type Result } from '../../common/contract'
import type { Core } from '../core/createCore'

/** The IPC channel of one contract request. */
export const channelOf = (method: string): string => `wb:${method}`
/** The one channel events travel on to the renderer. */
export const EVENT_CHANNEL = 'wb:event'

/** Only our own page, in the window's top frame, may call the core. */
function senderAllowed(event: IpcMainInvokeEvent, isAppUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame
  return frame !== null && frame.parent === null && isAppUrl(frame.url)
}

/** Registers one ipcMain handler per contract request, and forwards core events to the window. */
export function registerIpc(core: Core, win: BrowserWindow, isAppUrl: (url: string) => boolean): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(channelOf(method), async (event, input: unknown): Promise<Result<unknown>> => {
      if (!senderAllowed(event, isAppUrl)) {
        // A refusal is a sign of a hostile or broken page: leave a trace of who asked.
        const frame = event.senderFrame
        console.warn(`[ipc] refused ${method} from ${frame ? `${frame.parent ? 'a subframe at ' : ''}${frame.url}` : 'a frame that is gone'}`)
        return { ok: false, code: 'unknown_method', message: 'Requests are accepted only from the workbench window.' }
      }
      return core.call(method, input)
    })
  }
  const stop = core.onEvent((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, name, payload)
  })
  return () => {
    stop()
    for (const method of METHOD_NAMES) ipcMain.removeHandler(channelOf(method))
  }
}
