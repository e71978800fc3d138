// Heavy reads (runs table, series, CSV export) run in a worker thread: a big export must not hold
// up other requests, slow queries are logged by name, a dead worker fails only its own reads.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../../main/core/createCore'
import { ReadService, type ReadWorkerLike } from '../../../main/core/readService'
import { readExportPiece } from '../../../main/runs/exportFiles'
import { insertMetrics } from '../../../main/store/queries/metrics'
import type { RunsCsvExport } from '../../../common/contract'
import { bareProbe } from '../../helpers/core'
import { loopGapMeter } from '../../helpers/loopGap'
import { threadReader } from '../../helpers/readWorkers'
import { tempDir } from '../../helpers/tmp'
import { addRun } from '../runs/seed'

let core: Core | null = null
afterEach(async () => {
  await core?.close()
  core = null
})

describe('export pieces', () => {
  it('cut at line ends, never inside a UTF-8 sequence, and reassemble to the file byte for byte', () => {
    const dir = tempDir()
    const lines = Array.from({ length: 500 }, (_, i) => `${i},"naïve ünïcödé ✓ ${'x'.repeat(i % 37)}",${i / 7}\r\n`)
    const text = lines.join('') + 'last line without end ✓✓✓'
    writeFileSync(join(dir, 'runs-1-x.csv'), text)
    const parts: string[] = []
    for (let offset = 0, n = 0; ; n++) {
      const p = readExportPiece(dir, 'runs-1-x.csv', offset, 997)
      expect(p.bytes).toBe(Buffer.byteLength(text))
      if (!p.done) expect(p.text.endsWith('\n')).toBe(true)
      parts.push(p.text)
      offset = p.nextOffset
      if (p.done) break
      expect(n).toBeLessThan(1000)
    }
    expect(parts.length).toBeGreaterThan(10)
    expect(parts.join('')).toBe(text)
    // One line longer than a piece still comes through whole, split between code points.
    writeFileSync(join(dir, 'runs-2-x.csv'), '✓'.repeat(2000))
    let got = ''
    for (let offset = 0; ; ) {
      const p = readExportPiece(dir, 'runs-2-x.csv', offset, 100)
      got += p.text
      offset = p.nextOffset
      if (p.done) break
    }
    expect(got).toBe('✓'.repeat(2000))
    expect(() => readExportPiece(dir, 'runs-9-missing.csv', 0)).toThrow(/does not exist/)
  })
})

describe('the read worker', () => {
  it('answers other requests while a 1,000-run export streams to a file, and logs the slow query by name', { timeout: 180_000 }, async () => {
    const slow: string[] = []
    const dataDir = tempDir()
    core = createCore({ dataDir, transport: 'browser', appVersion: 't', backendProbe: bareProbe, spawnReader: threadReader })
    const ids: number[] = []
    core.db.transaction(() => {
      for (let i = 0; i < 1000; i++) ids.push(addRun(core!.db, { name: `run ${i}` }))
    })()
    for (let k = 0; k < 10; k++) insertMetrics(core.db, ids.slice(k * 100, k * 100 + 100).flatMap((runId) => Array.from({ length: 500 }, (_, s) => ({ runId, name: 'loss', step: s + 1, epoch: 0, value: 1 / (s + 1), wallTime: s }))))
    // Warm the worker (the TypeScript sources load through tsx), so what follows measures the query.
    await core.call('runs.list', { limit: 1 })
    const original = console.warn
    console.warn = (line: string) => slow.push(line)
    const gap = loopGapMeter()
    try {
      const order: string[] = []
      const exporting = core.call('runs.exportCsv', { runIds: ids }).then((r) => (order.push('export'), r))
      const series = core.call('runs.series', { runIds: ids.slice(0, 100), metric: 'loss', x: 'step', maxPoints: 1000 }).then((r) => (order.push('series'), r))
      const settings = await core.call('settings.get', {})
      order.push('settings')
      expect(settings.ok).toBe(true)
      const exported = (await exporting) as { ok: true; value: RunsCsvExport }
      expect(await series).toMatchObject({ ok: true, value: { metric: 'loss' } })
      const maxGap = await gap.stop()
      // The quick request on main was answered before the worker finished the big reads.
      expect(order[0]).toBe('settings')
      expect(exported.value.rows).toBe(500_000)
      expect(readFileSync(exported.value.path, 'utf8').split('\r\n').length).toBe(500_002)
      console.log(`main event loop during a 1,000-run export and a 100-run series: longest gap between 1 ms ticks ${maxGap.toFixed(1)} ms`)
    } finally {
      console.warn = original
    }
    expect(slow.some((l) => /^\[slow query\] runs\.exportCsv took \d+ ms$/.test(l))).toBe(true)
  })

  it('a worker that dies fails its pending reads with a message and the next read starts a new one', async () => {
    const spawned: { post: (m: unknown) => void; exit: (code: number) => void }[] = []
    const service = new ReadService(() => {
      const listeners: Record<string, ((x: never) => void)[]> = {}
      const w: ReadWorkerLike = {
        postMessage: (m) => spawned.at(-1)!.post(m),
        on: (event: string, l: (x: never) => void) => ((listeners[event] ??= []).push(l), w),
        terminate: () => undefined,
      } as ReadWorkerLike
      spawned.push({
        post: (m) => setTimeout(() => listeners.message?.forEach((l) => l({ type: 'result', id: (m as { id: number }).id, ok: true, value: spawned.length } as never))),
        exit: (code) => listeners.exit?.forEach((l) => l(code as never)),
      })
      // The first worker never answers: it dies.
      if (spawned.length === 1) spawned[0].post = () => undefined
      return w
    })
    const pending = service.read('runs.list', {})
    spawned[0].exit(134)
    await expect(pending).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('code 134') })
    await expect(service.read('runs.list', {})).resolves.toBe(2)
    service.close()
  })
})
