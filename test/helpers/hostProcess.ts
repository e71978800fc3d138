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

/** A built browser host running in its own process group (so a kill takes its workers with it). */
export interface HostProc {
  proc: ChildProcess
  port: number
  token: string
  url: string
  /** Everything it printed. */
  output: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Starts out/main/host.js over dataDir; resolves once it prints its URL, rejects with its output if it exits first. */
export function startHost(dataDir: string, env: Record<string, string> = {}, node = process.execPath): Promise<HostProc> {
  const token = `t${Math.random().toString(36).slice(2)}`
  const proc = spawn(node, [HOST_JS, '--port', '0', '--token', token, '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, ...env },
  })
  let out = ''
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()))
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.once('exit', (code, signal) => r({ code, signal })))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in 60 s:\n${out}`)), 60_000)
    const poll = setInterval(() => {
      const m = /WORKBENCH_URL=(\S+)/.exec(out)
      if (!m) return
      clearInterval(poll)
      clearTimeout(timer)
      resolve({ proc, port: Number(new URL(m[1]).port), token, url: m[1], output: () => out, exited })
    }, 10)
    void exited.then(({ code, signal }) => {
      clearInterval(poll)
      clearTimeout(timer)
      reject(Object.assign(new Error(`host exited (code ${code}, signal ${signal}):\n${out}`), { code, output: out }))
    })
  })
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
