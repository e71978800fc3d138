import { beforeEach, describe, expect, it } from 'vitest'
import { buildApi, METHOD_NAMES, type EventName, type MethodName, type Result } from '../../../common/contract'
import { setApi } from '../../../renderer/src/api/api'
import { initialAppState, useAppStore } from '../../../renderer/src/store'
import { bootstrap, changeSettings, toggleSystemPanel } from '../../../renderer/src/store/actions'
import { sectionFromHash } from '../../../renderer/src/store/navSlice'

/** A fake transport answering from a table, recording calls, and able to push events. */
function fakeTransport(answers: Partial<Record<MethodName, (input: unknown) => Result<unknown>>>) {
  const calls: [string, unknown][] = []
  const listeners = new Map<EventName, (p: unknown) => void>()
  return {
    calls,
    push: (event: EventName, payload: unknown) => listeners.get(event)?.(payload),
    transport: {
      invoke: async (method: MethodName, input: unknown) => {
        calls.push([method, input])
        return answers[method]?.(input) ?? { ok: false as const, code: 'unknown_method' as const, message: 'no' }
      },
      subscribe: (event: EventName, l: (p: unknown) => void) => {
        listeners.set(event, l)
        return () => listeners.delete(event)
      },
    },
  }
}

const status = { appVersion: '1', transport: 'browser', platform: 'x', nodeVersion: '20', dataDir: '/d', dbPath: '/d/w.sqlite', schemaVersion: 1, backend: { chosen: 'wasm', summary: 's', candidates: [] } }

beforeEach(() => useAppStore.setState(initialAppState, true))

describe('renderer store', () => {
  it('reads the section from the URL hash, defaulting to datasets', () => {
    expect(sectionFromHash('#/runs')).toBe('runs')
    expect(sectionFromHash('#compare')).toBe('compare')
    expect(sectionFromHash('#/nonsense')).toBe('datasets')
  })

  it('bootstraps status, settings and recent items, and follows settings events', async () => {
    const fake = fakeTransport({
      'system.status': () => ({ ok: true, value: status }),
      'settings.get': () => ({ ok: true, value: { theme: 'dark', runConcurrency: 1, confirmDeletes: true } }),
      'recent.list': () => ({ ok: true, value: [{ id: 1, name: 'iris', detail: 'tabular', updatedAt: 1 }] }),
    })
    setApi(buildApi(fake.transport))
    await bootstrap()
    const s = useAppStore.getState()
    expect(s.status?.backend.chosen).toBe('wasm')
    expect(s.settings?.theme).toBe('dark')
    expect(s.recent.datasets?.[0].name).toBe('iris')
    fake.push('settings.changed', { theme: 'light', runConcurrency: 2, confirmDeletes: true })
    expect(useAppStore.getState().settings?.theme).toBe('light')
  })

  it('shows the error message when the core refuses, and keeps the old settings', async () => {
    const fake = fakeTransport({ 'settings.update': () => ({ ok: false, code: 'invalid_input', message: 'field "theme" is bad' }) })
    setApi(buildApi(fake.transport))
    useAppStore.setState({ settings: { theme: 'dark', runConcurrency: 1, studyTrialsAtOnce: 'auto', confirmDeletes: true } })
    await changeSettings({ theme: 'light' })
    expect(useAppStore.getState().settingsError).toBe('field "theme" is bad')
    expect(useAppStore.getState().settings?.theme).toBe('dark')
    expect(fake.calls).toEqual([['settings.update', { theme: 'light' }]])
  })

  it('toggles the system panel', () => {
    toggleSystemPanel()
    expect(useAppStore.getState().systemPanelOpen).toBe(true)
    toggleSystemPanel(false)
    expect(useAppStore.getState().systemPanelOpen).toBe(false)
  })

  it('builds an API with exactly the contract methods and whitelisted events', () => {
    const api = buildApi(fakeTransport({}).transport) as unknown as Record<string, Record<string, unknown>>
    expect(Object.keys(api).sort()).toEqual([...new Set(METHOD_NAMES.map((m) => m.split('.')[0])), 'on'].sort())
    // Each namespace holds exactly its contract verbs, nothing generic.
    for (const [ns, group] of Object.entries(api)) if (ns !== 'on') expect(Object.keys(group).sort()).toEqual(METHOD_NAMES.filter((m) => m.startsWith(`${ns}.`)).map((m) => m.slice(ns.length + 1)).sort())
    expect(Object.keys(api.settings).sort()).toEqual(['get', 'update'])
    expect(() => (api.on as unknown as (e: string, l: () => void) => void)('anything', () => {})).toThrow('Unknown event')
  })
})
