import type { WorkbenchApi } from '../../common/contract'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser host, where the WebSocket transport stands in. */
    workbench?: WorkbenchApi
  }
}
export {}
