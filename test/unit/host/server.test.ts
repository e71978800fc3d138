import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import { MAX_REQUEST_BYTES } from '../../../common/contract'
import type { Core } from '../../../main/core/createCore'
import { startHost, type RunningHost } from '../../../main/host/server'
import { fakeRendererDir, testCore } from '../../helpers/core'
import { httpGet, openSocket, rpcClient } from '../../helpers/http'

let core: Core
let host: RunningHost
const sockets: WebSocket[] = []

beforeEach(async () => {
  core = testCore()
  host = await startHost({ core, staticDir: fakeRendererDir(), token: 'secret-token' })
})
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate()
  await host.close()
  await core.close()
})

const wsUrl = () => `ws://127.0.0.1:${host.port}/ws`
async function authedSocket(): Promise<WebSocket> {
  const ws = await openSocket(wsUrl(), { authorization: 'Bearer secret-token' })
  sockets.push(ws)
  return ws
}

describe('browser host: HTTP', () => {
  it('binds to loopback and prints a URL that carries the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=secret-token`)
  })

  it('answers 401 and no data without a token or with a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { cookie: `wb_token_${host.port}=wrong` }] as Record<string, string>[]) {
      const res = await httpGet(host.port, '/', headers)
      expect(res.status).toBe(401)
      expect(res.body).not.toContain('<title>')
    }
    expect((await httpGet(host.port, '/?token=nope')).status).toBe(401)
    expect((await httpGet(host.port, '/assets/app.js')).status).toBe(401)
  })

  it('trades the token in the URL for an HttpOnly cookie, then serves the app with a CSP', async () => {
    const first = await httpGet(host.port, '/?token=secret-token')
    expect(first.status).toBe(302)
    expect(first.headers.location).toBe('/')
    const cookie = String(first.headers['set-cookie']).split(';')[0]
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/)
    const page = await httpGet(host.port, '/', { cookie })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>WB</title>')
    expect(page.body).not.toContain('http-equiv')
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'")
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect((await httpGet(host.port, '/assets/app.js', { cookie })).body).toContain('console.log')
  })

  it('refuses other origins, foreign Host headers, path traversal and writes', async () => {
    const auth = { authorization: 'Bearer secret-token' }
    expect((await httpGet(host.port, '/', { ...auth, origin: 'http://evil.example' })).status).toBe(403)
    expect((await httpGet(host.port, '/', { ...auth, host: 'evil.example' })).status).toBe(403)
    expect((await httpGet(host.port, '/', { ...auth, origin: `http://127.0.0.1:${host.port}` })).status).toBe(200)
    const traversal = await httpGet(host.port, '/..%2f..%2f..%2fetc%2fpasswd', auth)
    expect([400, 404]).toContain(traversal.status)
    expect(traversal.body).not.toContain('root:')
    expect((await httpGet(host.port, '/', auth, 'POST')).status).toBe(405)
  })
})

describe('browser host: WebSocket contract', () => {
  it('refuses upgrades without the token, with a wrong one, or from another origin', async () => {
    await expect(openSocket(wsUrl())).rejects.toThrow('HTTP 401')
    await expect(openSocket(`${wsUrl()}?token=wrong`)).rejects.toThrow('HTTP 401')
    await expect(openSocket(wsUrl(), { authorization: 'Bearer secret-token', origin: 'http://evil.example' })).rejects.toThrow('HTTP 403')
    await expect(openSocket(`ws://127.0.0.1:${host.port}/other`, { authorization: 'Bearer secret-token' })).rejects.toThrow('HTTP 404')
  })

  it('accepts the cookie the page got, as a browser would send it', async () => {
    const ws = await openSocket(wsUrl(), { cookie: `wb_token_${host.port}=secret-token`, origin: `http://127.0.0.1:${host.port}` })
    sockets.push(ws)
    expect(await rpcClient(ws).call('settings.get', {})).toMatchObject({ ok: true, value: { theme: 'system' } })
  })

  it('returns errors as data for bad requests and stays up', async () => {
    const rpc = rpcClient(await authedSocket())
    expect(await rpc.call('no.such', {})).toMatchObject({ ok: false, code: 'unknown_method' })
    expect(await rpc.call('recent.list', { section: 7 })).toMatchObject({ ok: false, code: 'invalid_input' })
    expect(await rpc.call('settings.update', { theme: 'y'.repeat(MAX_REQUEST_BYTES) })).toMatchObject({ ok: false, code: 'payload_too_large' })
    expect(await rpc.raw('{"id": 9, "method": "recent.list", "input": {"__proto__": {"x": 1}}}', 9)).toMatchObject({ ok: false, code: 'forbidden_key' })
    expect(await rpc.raw('{not json', null)).toMatchObject({ ok: false, code: 'invalid_input' })
    expect(await rpc.raw('[1,2]', null)).toMatchObject({ ok: false, code: 'invalid_input' })
    expect(await rpc.raw(Buffer.from([1, 2, 3]), null)).toMatchObject({ ok: false, code: 'invalid_input' })
    expect(await rpc.call('system.status', {})).toMatchObject({ ok: true, value: { transport: 'browser' } })
  })

  it('closes only the offending socket on an absurd frame; other clients keep working', async () => {
    const bad = await authedSocket()
    const good = rpcClient(await authedSocket())
    const closed = new Promise<number>((resolve) => bad.once('close', (code) => resolve(code)))
    bad.send('x'.repeat(9 * MAX_REQUEST_BYTES))
    expect(await closed).toBe(1009)
    expect(await good.call('settings.get', {})).toMatchObject({ ok: true })
    const fresh = rpcClient(await authedSocket())
    expect(await fresh.call('settings.get', {})).toMatchObject({ ok: true })
  })

  it('pushes core events to every connected client', async () => {
    const a = rpcClient(await authedSocket())
    const b = rpcClient(await authedSocket())
    await a.call('settings.update', { theme: 'light' })
    await b.call('settings.get', {})
    expect(b.events).toContainEqual({ event: 'settings.changed', payload: expect.objectContaining({ theme: 'light' }) })
  })
})
