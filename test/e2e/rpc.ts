import type { Page } from '@playwright/test'

/** A contract answer as the page receives it: a value, or an error as data. */
export type RpcResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string; details?: unknown }

/** Calls the contract from inside the page over the host's WebSocket (the page's cookie authenticates it). */
export async function rpcResult<T>(app: Page, method: string, input: unknown): Promise<RpcResult<T>> {
  return (await app.evaluate(
    ({ method, input }) =>
      new Promise<unknown>((resolve, reject) => {
        const ws = new WebSocket(`ws://${location.host}/ws`)
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, method, input }))
        ws.onmessage = (m) => {
          const data = JSON.parse(String(m.data)) as { id?: number; result?: unknown }
          if (data.id === 1 && data.result) {
            ws.close()
            resolve(data.result)
          }
        }
        ws.onerror = () => reject(new Error('socket error'))
      }),
    { method, input },
  )) as RpcResult<T>
}

/** Calls the contract and returns its value, throwing on an error answer. */
export async function rpc<T>(app: Page, method: string, input: unknown): Promise<T> {
  const res = await rpcResult<T>(app, method, input)
  if (!res.ok) throw new Error(`${method}: ${res.message}`)
  return res.value
}
