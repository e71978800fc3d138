import { request } from 'node:http'
import WebSocket from 'ws'

/** A raw HTTP response, without fetch's header rules (so Host and Origin can be forged in tests). */
export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** Sends one HTTP request to 127.0.0.1:port with exactly the given headers. */
export function httpGet(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Opens a WebSocket and resolves when open, or rejects with the HTTP status of a refused upgrade. */
export function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

/** A reply frame's result, loosely typed for assertions. */
export type RpcReply = Record<string, unknown>

/** A socket client that matches replies to requests by id and records pushed events. */
export function rpcClient(ws: WebSocket) {
  let id = 0
  const waiting = new Map<unknown, (v: RpcReply) => void>()
  const events: { event: string; payload: unknown }[] = []
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data))
    if (msg.event) events.push(msg)
    else waiting.get(msg.id)?.(msg.result)
  })
  return {
    events,
    /** Sends a raw frame and waits for the reply with the given id. */
    raw(frame: string | Buffer, replyId: unknown = null): Promise<RpcReply> {
      return new Promise((resolve) => {
        waiting.set(replyId, resolve)
        ws.send(frame)
      })
    },
    call(method: string, input: unknown): Promise<RpcReply> {
      const myId = ++id
      return this.raw(JSON.stringify({ id: myId, method, input }), myId)
    },
  }
}
