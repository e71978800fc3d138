import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { MAX_REQUEST_BYTES, type Result } from '../../common/contract'
import type { Core } from '../core/createCore'
import { checkHostAndOrigin, cookieName, newToken, presentedToken, tokensEqual } from './auth'
import { hostCsp, serveStatic } from './static'

/** How to start the browser host. */
export interface HostOptions {
  core: Core
  /** The renderer build (out/renderer). */
  staticDir: string
  /** Interface to bind; 127.0.0.1 unless the person asks otherwise. */
  host?: string
  /** 0 (the default) picks a free port. */
  port?: number
  /** Fixed token (e.g. --token); a random one per start otherwise. */
  token?: string
}

/** A started host. */
export interface RunningHost {
  /** The URL to open, carrying the token. */
  url: string
  origin: string
  port: number
  token: string
  close(): Promise<void>
}

/** The WebSocket path of the contract transport. */
export const WS_PATH = '/ws'
// The socket-level cap sits above the contract's request limit so an oversize request still gets a
// `payload_too_large` answer; only absurd frames close the connection.
const WS_MAX_FRAME = 8 * MAX_REQUEST_BYTES

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end(text)
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

/** One contract request over the socket. */
interface WireRequest {
  id: number | string | null
  method?: unknown
  input?: unknown
}

function parseWire(data: RawData): WireRequest | null {
  try {
    const value: unknown = JSON.parse(data.toString())
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
    const id = (value as { id?: unknown }).id
    return {
      id: typeof id === 'number' || typeof id === 'string' ? id : null,
      method: (value as { method?: unknown }).method,
      input: (value as { input?: unknown }).input,
    }
  } catch {
    return null
  }
}

/**
 * Starts the browser host: the renderer build over HTTP and the contract over a WebSocket, both
 * behind the per-start token, bound to loopback by default.
 */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = opts.token ?? newToken()
  const bindHost = opts.host ?? '127.0.0.1'
  const loopbackOnly = ['127.0.0.1', 'localhost', '::1'].includes(bindHost)
  let port = 0

  function authorize(req: IncomingMessage, url: URL): { ok: true; via: string } | { ok: false; status: number; why: string } {
    const bad = checkHostAndOrigin(req, port, loopbackOnly)
    if (bad) return { ok: false, status: 403, why: bad }
    const presented = presentedToken(req, url, port)
    if (!presented) return { ok: false, status: 401, why: 'missing token' }
    if (!tokensEqual(presented.value, token)) return { ok: false, status: 401, why: 'wrong token' }
    return { ok: true, via: presented.via }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder')
    const auth = authorize(req, url)
    if (!auth.ok) {
      const hint = auth.status === 401 ? ' Open the URL the host printed at start (it carries the token).' : ''
      refuse(res, auth.status, `${auth.status === 401 ? 'Unauthorized' : 'Forbidden'}: ${auth.why}.${hint}`)
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(res, 405, 'Method not allowed')
      return
    }
    if (auth.via === 'query') {
      // Trade the token in the URL for an HttpOnly cookie, then drop it from the address bar.
      url.searchParams.delete('token')
      res.writeHead(302, {
        Location: url.pathname + url.search,
        'Set-Cookie': `${cookieName(port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        ...SECURITY_HEADERS,
      })
      res.end()
      return
    }
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v)
    res.setHeader('Content-Security-Policy', hostCsp(req.headers.host ?? `127.0.0.1:${port}`))
    serveStatic(opts.staticDir, url.pathname, res, req.method === 'HEAD').catch((e: unknown) => {
      console.error('[host] static file failed:', e)
      if (!res.headersSent) refuse(res, 500, 'Internal error')
      else res.destroy()
    })
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_FRAME })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://placeholder')
    if (url.pathname !== WS_PATH) return refuseUpgrade(socket, 404, 'Not Found')
    const auth = authorize(req, url)
    if (!auth.ok) return refuseUpgrade(socket, auth.status, auth.status === 401 ? 'Unauthorized' : 'Forbidden')
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data, isBinary) => {
      const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer | ArrayBuffer).byteLength
      const req = isBinary ? null : parseWire(data)
      const reply = (id: WireRequest['id'], result: Result<unknown>) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }))
      }
      if (!req) {
        reply(null, { ok: false, code: 'invalid_input', message: 'A request must be a JSON object {id, method, input}.' })
        return
      }
      void opts.core.call(req.method, req.input, size).then((result) => reply(req.id, result))
    })
    ws.on('error', (e) => console.error('[host] socket error:', e.message))
  })

  const stopEvents = opts.core.onEvent((event, payload) => {
    const frame = JSON.stringify({ event, payload })
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(frame)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, bindHost, () => resolve())
  })
  port = (server.address() as AddressInfo).port
  const shownHost = bindHost === '::1' ? '[::1]' : bindHost === '0.0.0.0' ? '127.0.0.1' : bindHost
  const origin = `http://${shownHost}:${port}`

  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    origin,
    port,
    token,
    close: async () => {
      stopEvents()
      for (const client of wss.clients) client.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
