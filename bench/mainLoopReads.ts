// main_loop_reads: how long main's event loop is blocked (max delay) while the runs table's heavy
// reads run: a 100-run series query and a 1,000-run CSV export. Ours serves them from the read
// worker; the reference runs the same reads on main, as the app did before the read worker.
import { rmSync } from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCore, type Core } from '../main/core/createCore'
import { insertMetrics } from '../main/store/queries/metrics'
import { loopGapMeter } from '../test/helpers/loopGap'
import { inProcessReader, threadReader } from '../test/helpers/readWorkers'
import type { BenchLine } from './run'

const RUNS = 1000
const STEPS = 500

function seed(core: Core): number[] {
  const ids: number[] = []
  const insert = core.db.prepare("INSERT INTO runs (name, state, config_json, created_at) VALUES (?, 'completed', '{}', ?)")
  core.db.transaction(() => {
    for (let i = 0; i < RUNS; i++) ids.push(Number(insert.run(`run ${i}`, i).lastInsertRowid))
  })()
  for (let k = 0; k < RUNS; k += 100) {
    insertMetrics(core.db, ids.slice(k, k + 100).flatMap((runId) => Array.from({ length: STEPS }, (_, s) => ({ runId, name: 'loss', step: s + 1, epoch: 0, value: 1 / (s + 1), wallTime: s }))))
  }
  return ids
}

async function maxDelayMs(core: Core, ids: number[]): Promise<number> {
  await core.call('runs.list', { limit: 1 })
  const gap = loopGapMeter()
  const results = await Promise.all([core.call('runs.series', { runIds: ids.slice(0, 100), metric: 'loss', x: 'step', maxPoints: 1000 }), core.call('runs.exportCsv', { runIds: ids })])
  const max = await gap.stop()
  for (const r of results) if (!r.ok) throw new Error(r.message)
  return max
}

/** Max main-loop delay with the read worker (ours) against the same reads on main (reference). */
export async function benchMainLoopReads(): Promise<BenchLine> {
  const dir = mkdtempSync(join(tmpdir(), 'nw-bench-reads-'))
  try {
    const setup = createCore({ dataDir: dir, transport: 'browser', appVersion: 'bench', spawnReader: inProcessReader })
    const ids = seed(setup)
    const onMain = await maxDelayMs(setup, ids)
    await setup.close()
    const core = createCore({ dataDir: dir, transport: 'browser', appVersion: 'bench', spawnReader: threadReader })
    const inWorker = await maxDelayMs(core, ids)
    await core.close()
    return { case: 'main_loop_reads', ours: inWorker, reference: onMain, unit: 'ms max loop delay', ratio: inWorker / onMain, better: 'lower', reference_name: 'same reads on the main thread' }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
