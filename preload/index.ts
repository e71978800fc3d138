/**
 * The sandboxed preload: exposes `window.workbench`, exactly the contract's requests (one IPC
 * channel each) and its whitelisted events. Nothing generic crosses: no ipcRenderer, no send(any).
 */
import { contextBridge, ipcRenderer } from 'electron'
import { buildApi, EVENT_NAMES, type EventName } from '../common/contract'

const api = buildApi({
  invoke: (method, input) => ipcRenderer.invoke(`wb:${method}`, input),
  subscribe: (event: EventName, listener) => {
    const handler = (_e: unknown, name: string, payload: unknown) => {
      if (name === event && EVENT_NAMES.includes(name)) listener(payload)
    }
    ipcRenderer.on('wb:event', handler)
    return () => ipcRenderer.removeListener('wb:event', handler)
  },
})

contextBridge.exposeInMainWorld('workbench', api)
