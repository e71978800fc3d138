import { afterEach, describe, expect, it } from 'vitest'
import { MAX_REQUEST_BYTES } from '../../../common/contract'
import { AppError } from '../../../common/errors'
import { dispatch, findForbiddenKey, type Handlers } from '../../../main/rpc/dispatch'
import type { Core } from '../../../main/core/createCore'
import { testCore } from '../../helpers/core'

let core: Core | null = null
afterEach(async () => {
  await core?.close()
  core = null
})

describe('contract validation in dispatch', () => {
  it('answers a valid request with data', async () => {
    core = testCore()
    const res = await core.call('system.status', {})
    expect(res.ok).toBe(true)
    if (res.ok) expect((res.value as { schemaVersion: number }).schemaVersion).toBeGreaterThan(0)
  })

  it('refuses an unknown method, including inherited property names', async () => {
    core = testCore()
    for (const method of ['nope.nothing', 'toString', '__proto__', 42, null]) {
      const res = await core.call(method, {})
      expect(res).toMatchObject({ ok: false, code: 'unknown_method' })
    }
  })

  it('refuses wrong types and names the field', async () => {
    core = testCore()
    const res = await core.call('recent.list', { section: 'datasets', limit: 'ten' })
    expect(res).toMatchObject({ ok: false, code: 'invalid_input' })
    if (!res.ok) expect(res.message).toContain('field "limit"')
    const extra = await core.call('settings.update', { theme: 'dark', sneaky: true })
    expect(extra).toMatchObject({ ok: false, code: 'invalid_input' })
    const badEnum = await core.call('settings.update', { theme: 'neon' })
    expect(badEnum.ok).toBe(false)
    if (!badEnum.ok) expect(badEnum.message).toContain('field "theme"')
  })

  it('refuses oversize payloads before parsing them', async () => {
    core = testCore()
    const res = await core.call('settings.update', { theme: 'x'.repeat(MAX_REQUEST_BYTES + 10) })
    expect(res).toMatchObject({ ok: false, code: 'payload_too_large' })
  })

  it('refuses prototype-pollution keys at any depth', async () => {
    core = testCore()
    for (const json of ['{"__proto__": {"polluted": 1}}', '{"a": {"constructor": {"prototype": {}}}}', '{"section":"runs","x":[{"prototype":1}]}']) {
      const res = await core.call('recent.list', JSON.parse(json))
      expect(res).toMatchObject({ ok: false, code: 'forbidden_key' })
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(findForbiddenKey({ ok: [1, { fine: true }] })).toBeNull()
  })

  it('turns service errors into data: AppError keeps its code, a bug becomes internal', async () => {
    const handlers = {
      'system.status': () => {
        throw new AppError('not_found', 'No such thing')
      },
      'settings.get': () => {
        throw new TypeError('boom')
      },
    } as unknown as Handlers
    const ctx = { transport: 'browser' as const }
    expect(await dispatch(handlers, 'system.status', {}, ctx)).toEqual({ ok: false, code: 'not_found', message: 'No such thing', details: undefined })
    const spy = console.error
    console.error = () => {}
    try {
      expect(await dispatch(handlers, 'settings.get', {}, ctx)).toMatchObject({ ok: false, code: 'internal', message: 'settings.get failed: boom' })
    } finally {
      console.error = spy
    }
  })

  it('stores settings and emits settings.changed', async () => {
    core = testCore()
    const seen: unknown[] = []
    core.onEvent((event, payload) => seen.push([event, payload]))
    const res = await core.call('settings.update', { theme: 'dark' })
    expect(res).toMatchObject({ ok: true, value: { theme: 'dark', runConcurrency: 1 } })
    expect(seen).toEqual([['settings.changed', expect.objectContaining({ theme: 'dark' })]])
    expect(await core.call('settings.get', {})).toMatchObject({ ok: true, value: { theme: 'dark' } })
  })

  it('lists recent items per section, newest first', async () => {
    core = testCore()
    core.db.prepare("INSERT INTO datasets (name, kind, created_at, updated_at) VALUES ('old', 'tabular', 1, 1), ('new', 'image', 2, 5)").run()
    const res = await core.call('recent.list', { section: 'datasets' })
    expect(res).toMatchObject({ ok: true, value: [{ name: 'new', detail: 'image · 0 version(s)' }, { name: 'old' }] })
    expect(await core.call('recent.list', { section: 'compare', limit: 5 })).toEqual({ ok: true, value: [] })
  })
})

describe('slow handlers', () => {
  it('logs a handler that holds the main thread over 100 ms, by name, and not a quick one', async () => {
    const lines: string[] = []
    const original = console.warn
    console.warn = (line: string) => lines.push(line)
    try {
      const busy = (ms: number) => {
        const until = performance.now() + ms
        while (performance.now() < until);
        return { ok: true } as never
      }
      const handlers = { 'settings.get': () => busy(150), 'recent.list': () => busy(0) } as unknown as Handlers
      expect(await dispatch(handlers, 'settings.get', {}, { transport: 'browser' })).toMatchObject({ ok: true })
      expect(await dispatch(handlers, 'recent.list', { section: 'runs' }, { transport: 'browser' })).toMatchObject({ ok: true })
    } finally {
      console.warn = original
    }
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^\[slow query\] settings\.get held the main thread for \d+ ms$/)
  })
})
