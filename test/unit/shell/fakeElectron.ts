/**
 * A stand-in for the parts of the `electron` module our main and preload bundles use, recording
 * what they do with it. IPC is wired the way Electron wires it: ipcRenderer.invoke reaches the
 * ipcMain handler with the sending frame, and arguments and results are structured-cloned.
 */
import { EventEmitter } from 'node:events'

/** A frame that sends IPC: its URL and whether it is a subframe. */
export interface FakeFrame {
  url: string
  parent: FakeFrame | null
}

type Handler = (event: { senderFrame: FakeFrame | null }, ...args: unknown[]) => unknown

/** One fake Electron: the module's exports plus the records a test reads. */
export interface FakeElectron {
  module: Record<string, unknown>
  calls: string[]
  /** Every channel passed to ipcMain.handle, in order (duplicates kept, which real Electron refuses). */
  handled: string[]
  handlers: Map<string, Handler>
  windows: FakeWindow[]
  exposed: Record<string, unknown>
  errorBoxes: { title: string; content: string }[]
  app: EventEmitter
  /** Lets app.whenReady() resolve, as Electron does once it has started. */
  ready(): void
  /** The frame ipcRenderer.invoke sends from (the window's page by default). */
  senderFrame: FakeFrame | null
}

/** A recorded BrowserWindow. */
export class FakeWindow extends EventEmitter {
  loaded: string | null = null
  minimized = true
  destroyed = false
  readonly webContents: EventEmitter & { send(channel: string, ...args: unknown[]): void; setWindowOpenHandler(h: unknown): void }
  constructor(
    readonly options: Record<string, unknown>,
    private readonly calls: string[],
    deliver: (channel: string, args: unknown[]) => void,
  ) {
    super()
    const wc = new EventEmitter() as FakeWindow['webContents']
    wc.send = (channel, ...args) => deliver(channel, structuredClone(args))
    wc.setWindowOpenHandler = () => calls.push('webContents.setWindowOpenHandler')
    this.webContents = wc
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  isMinimized(): boolean {
    return this.minimized
  }
  restore(): void {
    this.calls.push('win.restore')
    this.minimized = false
  }
  show(): void {
    this.calls.push('win.show')
  }
  focus(): void {
    this.calls.push('win.focus')
  }
  loadFile(path: string): Promise<void> {
    this.loaded = new URL(`file://${path}`).href
    return Promise.resolve()
  }
  loadURL(url: string): Promise<void> {
    this.loaded = url
    return Promise.resolve()
  }
}

/** Builds a fresh fake; `lock` is what requestSingleInstanceLock answers. */
export function fakeElectron(opts: { userData: string; lock: boolean }): FakeElectron {
  const calls: string[] = []
  const handled: string[] = []
  const handlers = new Map<string, Handler>()
  const windows: FakeWindow[] = []
  const exposed: Record<string, unknown> = {}
  const errorBoxes: { title: string; content: string }[] = []
  const rendererListeners = new Map<string, Set<(...args: unknown[]) => void>>()
  let resolveReady!: () => void
  const whenReady = new Promise<void>((r) => (resolveReady = r))

  const appEmitter = new EventEmitter()
  const app = Object.assign(appEmitter, {
    enableSandbox: () => calls.push('app.enableSandbox'),
    whenReady: () => whenReady,
    getPath: (name: string) => {
      if (name !== 'userData') throw new Error(`fake app.getPath: ${name}`)
      return opts.userData
    },
    exit: (code?: number) => calls.push(`app.exit(${code})`),
    quit: () => calls.push('app.quit'),
    requestSingleInstanceLock: () => {
      calls.push('app.requestSingleInstanceLock')
      return opts.lock
    },
  })

  const deliver = (channel: string, args: unknown[]) => {
    for (const l of rendererListeners.get(channel) ?? []) l({}, ...args)
  }
  class BrowserWindow extends FakeWindow {
    constructor(options: Record<string, unknown>) {
      super(options, calls, deliver)
      windows.push(this)
    }
  }

  const fake: FakeElectron = {
    calls,
    handled,
    handlers,
    windows,
    exposed,
    errorBoxes,
    app,
    ready: () => resolveReady(),
    senderFrame: null,
    module: {},
  }
  fake.module = {
    app,
    BrowserWindow,
    dialog: { showErrorBox: (title: string, content: string) => errorBoxes.push({ title, content }) },
    shell: { openExternal: () => Promise.resolve() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => calls.push('session.setPermissionRequestHandler'),
        setPermissionCheckHandler: () => calls.push('session.setPermissionCheckHandler'),
      },
    },
    ipcMain: {
      handle: (channel: string, fn: Handler) => {
        handled.push(channel)
        handlers.set(channel, fn)
      },
      removeHandler: (channel: string) => handlers.delete(channel),
    },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        const handler = handlers.get(channel)
        if (!handler) throw new Error(`Error invoking remote method '${channel}': No handler registered`)
        const frame = fake.senderFrame ?? { url: windows[0]?.loaded ?? '', parent: null }
        return structuredClone(await handler({ senderFrame: frame }, ...structuredClone(args)))
      },
      on: (channel: string, l: (...args: unknown[]) => void) => {
        if (!rendererListeners.has(channel)) rendererListeners.set(channel, new Set())
        rendererListeners.get(channel)!.add(l)
      },
      removeListener: (channel: string, l: (...args: unknown[]) => void) => rendererListeners.get(channel)?.delete(l),
    },
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => {
        calls.push(`contextBridge.exposeInMainWorld(${key})`)
        exposed[key] = api
      },
    },
  }
  return fake
}
