// Type-only stand-in for the parts of Electron's API this project uses, for typechecking on machines
// where the optional `electron` package could not install (its runtime download is unreachable).
// scripts/typecheck.mjs uses it only then; with Electron installed, the real electron.d.ts is checked.
declare module 'electron' {
  interface WebFrameMain {
    url: string
    parent: WebFrameMain | null
  }
  interface IpcMainInvokeEvent {
    senderFrame: WebFrameMain | null
  }
  interface WebContents {
    send(channel: string, ...args: unknown[]): void
    on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): this
    on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): this
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void
  }
  interface BrowserWindowConstructorOptions {
    width?: number
    height?: number
    minWidth?: number
    minHeight?: number
    show?: boolean
    title?: string
    webPreferences?: {
      preload?: string
      contextIsolation?: boolean
      sandbox?: boolean
      nodeIntegration?: boolean
      webSecurity?: boolean
      spellcheck?: boolean
    }
  }
  class BrowserWindow {
    constructor(options?: BrowserWindowConstructorOptions)
    webContents: WebContents
    isDestroyed(): boolean
    once(event: 'ready-to-show', listener: () => void): this
    on(event: 'closed', listener: () => void): this
    show(): void
    focus(): void
    isMinimized(): boolean
    restore(): void
    loadURL(url: string): Promise<void>
    loadFile(path: string): Promise<void>
  }
  const app: {
    enableSandbox(): void
    whenReady(): Promise<void>
    getPath(name: 'userData'): string
    exit(code?: number): void
    quit(): void
    requestSingleInstanceLock(): boolean
    on(event: 'second-instance', listener: () => void): void
    on(event: 'window-all-closed', listener: () => void): void
    on(event: 'web-contents-created', listener: (event: unknown, contents: WebContents) => void): void
  }
  const ipcMain: {
    handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: any[]) => unknown): void
    removeHandler(channel: string): void
  }
  const ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<any>
    on(channel: string, listener: (event: unknown, ...args: any[]) => void): void
    removeListener(channel: string, listener: (...args: any[]) => void): void
  }
  const contextBridge: { exposeInMainWorld(key: string, api: unknown): void }
  const session: {
    defaultSession: {
      setPermissionRequestHandler(handler: (wc: WebContents, permission: string, callback: (granted: boolean) => void) => void): void
      setPermissionCheckHandler(handler: () => boolean): void
    }
  }
  const shell: { openExternal(url: string): Promise<void> }
  const dialog: { showErrorBox(title: string, content: string): void }
  export { app, BrowserWindow, contextBridge, dialog, ipcMain, ipcRenderer, session, shell }
  export type { BrowserWindowConstructorOptions, IpcMainInvokeEvent, WebContents, WebFrameMain }
}
