import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type WebSocket from 'ws'
import { openSocket, rpcClient } from './http'

/** The repository root. */
export const ROOT = resolve(__dirname, '../..')
const HOST_JS = join(ROOT, 'out/main/host.js')

function newestMtime(dir: string): number {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)
  }
  return t
}

/** Builds the app (out/) unless the build is newer than every source of main/ and preload/. */
export function ensureBuilt(): void {
  if (existsSync(HOST_JS) && statSync(HOST_JS).mtimeMs >= Math.max(newestMtime(join(ROOT, 'main')), newestMtime(join(ROOT, 'preload')))) return
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`)
}

/** How to start the built host: the knobs the suites that start one differ in. */
export interface HostOptions {
  /** Variables added to this process's environment. */
  env?: Record<string, string>
  /** The Node binary that runs it (another major, for the ABI test). */
  node?: string
  /** Its own process group, so killHost takes its workers with it (default true). */
  detached?: boolean
  /** The access token; omitted, the host makes one and prints it in its URL. */
  token?: string
  /** How long it may take to print its URL (ms, default 60 s). */
  timeoutMs?: number
}

/** A launched host: its process, what it printed so far, and how its start ended. */
export interface LaunchedHost {
  proc: ChildProcess
  /** Everything it printed, stdout and stderr interleaved. */
  output: () => string
  stdout: () => string
  stderr: () => string
  /** Its URL once it serves, or its exit when it ends before that; rejects if neither comes in time. */
  outcome: Promise<{ url: string } | { code: number | null; signal: NodeJS.Signals | null }>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/**
 * Starts out/main/host.js over dataDir on a free port and watches for the `WORKBENCH_URL=` line it
 * prints once it serves. The one launcher behind every test that runs the built host.
 */
export function launchHost(dataDir: string, opts: HostOptions = {}): LaunchedHost {
  const args = [HOST_JS, '--port', '0', '--data-dir', dataDir, ...(opts.token ? ['--token', opts.token] : [])]
  const proc = spawn(opts.node ?? process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? true,
    env: { ...process.env, ...opts.env },
  })
  let out = ''
  let stdout = ''
  let stderr = ''
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.once('exit', (code, signal) => r({ code, signal })))
  const outcome = new Promise<{ url: string } | { code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    const timeoutMs = opts.timeoutMs ?? 60_000
    const timer = setTimeout(() => reject(new Error(`host did neither serve nor exit in ${timeoutMs / 1000} s:\n${out}`)), timeoutMs)
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      stdout += c.toString()
      const url = /^WORKBENCH_URL=(\S+)$/m.exec(stdout)?.[1]
      if (url) {
        clearTimeout(timer)
        resolve({ url })
      }
    })
    proc.stderr!.on('data', (c: Buffer) => {
      out += c.toString()
      stderr += c.toString()
    })
    void exited.then((e) => {
      clearTimeout(timer)
      resolve(e)
    })
  })
  return { proc, output: () => out, stdout: () => stdout, stderr: () => stderr, outcome, exited }
}

/** A built browser host that serves (in its own process group unless told otherwise). */
export interface HostProc {
  proc: ChildProcess
  port: number
  token: string
  url: string
  /** Everything it printed. */
  output: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Starts the built host; resolves once it prints its URL, rejects with its output (and exit code) if it exits first. */
export async function startHost(dataDir: string, opts: HostOptions = {}): Promise<HostProc> {
  const h = launchHost(dataDir, opts)
  const r = await h.outcome
  if (!('url' in r)) throw Object.assign(new Error(`host exited (code ${r.code}, signal ${r.signal}):\n${h.output()}`), { code: r.code, output: h.output() })
  const url = new URL(r.url)
  return { proc: h.proc, port: Number(url.port), token: url.searchParams.get('token') ?? '', url: r.url, output: h.output, exited: h.exited }
}

/** SIGKILLs the host's whole process group (the app and its worker threads) and waits until it is reaped. */
export async function killHost(h: HostProc): Promise<void> {
  try {
    process.kill(-h.proc.pid!, 'SIGKILL')
  } catch {
    // Already gone.
  }
  await h.exited
}

/** A contract client over the host's WebSocket. */
export async function connect(h: HostProc): Promise<{ ws: WebSocket; call: (method: string, input: unknown) => Promise<Record<string, unknown>>; events: { event: string; payload: unknown }[] }> {
  const ws = await openSocket(`ws://127.0.0.1:${h.port}/ws`, { authorization: `Bearer ${h.token}` })
  const client = rpcClient(ws)
  return { ws, call: (m, i) => client.call(m, i), events: client.events }
}
