import type { EventName, MethodName, Result, Transport } from '../../../common/contract'

interface Pending {
  resolve: (r: Result<unknown>) => void
}

/**
 * The browser host's transport: contract requests as JSON frames over one WebSocket, authenticated
 * by the HttpOnly cookie the host set. Reconnects with backoff; requests in flight when the
 * connection drops resolve to an `unavailable` error instead of hanging.
 */
export function createWsTransport(url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`): Transport {
  let socket: WebSocket | null = null
  let nextId = 1
  let retryMs = 250
  const pending = new Map<number, Pending>()
  const queue: string[] = []
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()

  const connect = () => {
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      retryMs = 250
      for (const frame of queue.splice(0)) ws.send(frame)
    }
    ws.onmessage = (msg) => {
      let data: { id?: number; result?: Result<unknown>; event?: EventName; payload?: unknown }
      try {
        data = JSON.parse(String(msg.data))
      } catch {
        return
      }
      if (data.event) {
        for (const l of listeners.get(data.event) ?? []) l(data.payload)
      } else if (typeof data.id === 'number' && data.result) {
        pending.get(data.id)?.resolve(data.result)
        pending.delete(data.id)
      }
    }
    ws.onclose = () => {
      for (const [id, p] of pending) {
        p.resolve({ ok: false, code: 'unavailable', message: 'The connection to the workbench host was lost.' })
        pending.delete(id)
      }
      socket = null
      setTimeout(connect, retryMs)
      retryMs = Math.min(retryMs * 2, 5000)
    }
  }
  connect()

  return {
    invoke(method: MethodName, input: unknown) {
      const id = nextId++
      const frame = JSON.stringify({ id, method, input })
      return new Promise<Result<unknown>>((resolve) => {
        pending.set(id, { resolve })
        if (socket?.readyState === WebSocket.OPEN) socket.send(frame)
        else queue.push(frame)
      })
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener)
      return () => set.delete(listener)
    },
  }
}
