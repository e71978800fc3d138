// The whole app killed (its process group, SIGKILL, as a power loss or `kill -9` would) at random
// moments while it trains, and started again within a second, 20 times: the first request after
// every start must find the run interrupted, it must resume from its newest checkpoint, finish,
// and leave one contiguous series of steps; the database passes integrity_check after every kill.
// A second app on the same data folder is refused (naming the first), one on another folder runs.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import sharp from 'sharp'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import { createCore } from '../../main/core/createCore'
import { LOCK_FILE_NAME } from '../../main/core/dataDirLock'
import { importCsv } from '../../main/datasets/csv/import'
import { seededRandom } from '../../common/datasets/prng'
import { buildTemplate } from '../../common/graph'
import { createRun } from '../../main/store/queries/runRecords'
import type { ModelDetail, RunProgress, RunSummary, TrainConfig } from '../../common/contract'
import { bareProbe } from '../helpers/core'
import { connect, ensureBuilt, killHost, startHost, type HostProc } from '../helpers/hostProcess'
import { tempDir } from '../helpers/tmp'

const KILLS = 20
const CHECKPOINT_MS = 250
const STEPS_PER_EPOCH = 320
const CONFIG: TrainConfig = {
  optimizer: 'adam',
  learningRate: 0.05,
  momentum: 0.9,
  schedule: { kind: 'none' },
  batchSize: 8,
  epochs: 20,
  loss: 'binaryCrossentropy',
  earlyStopping: null,
  seed: 5,
  backend: 'cpu',
  keepCheckpoints: 3,
}

beforeAll(() => ensureBuilt(), 300_000)

/** An XOR table (2,560 training rows: 320 batches an epoch), the 2-3-1 MLP and one run, written before any host starts. */
async function seedStore(dataDir: string): Promise<number> {
  const core = createCore({ dataDir, transport: 'browser', appVersion: 't', backendProbe: bareProbe })
  const csv = join(dataDir, 'xor.csv')
  const rows = ['a,b,y']
  for (let i = 0; i < 800; i++) for (const [a, b] of [[0, 0], [0, 1], [1, 0], [1, 1]]) rows.push(`${a},${b},${a ^ b ? 'pos' : 'neg'}`)
  writeFileSync(csv, rows.join('\n'))
  const imported = await importCsv(core.db, csv, { name: 'xor', recipe: { target: 'y' }, split: { train: 0.8, validation: 0.1, test: 0.1, seed: 1 } })
  const saved = await core.call('models.save', { name: 'mlp', graph: buildTemplate('and_xor_mlp') })
  if (!saved.ok) throw new Error(saved.message)
  const runId = createRun(core.db, { name: 'killed twenty times', modelVersionId: (saved.value as ModelDetail).versionId, datasetVersionId: imported.versionId, config: CONFIG })
  // As if an app had queued it and died: no owner of this start can claim it.
  core.db.close()
  return runId
}

function integrity(dbPath: string): string {
  const db = new Database(dbPath, { readonly: true })
  try {
    return db.pragma('integrity_check', { simple: true }) as string
  } finally {
    db.close()
  }
}

function newestCheckpointStep(dbPath: string, runId: number): number {
  const db = new Database(dbPath, { readonly: true })
  try {
    return (db.prepare('SELECT max(step) AS s FROM checkpoints WHERE run_id = ?').get(runId) as { s: number | null }).s ?? 0
  } finally {
    db.close()
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('the whole app killed during training and started again at once', () => {
  it(`${KILLS} kills at random moments: interrupted at the first request, resumed, finished, steps contiguous`, { timeout: 600_000 }, async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000)
    const random = seededRandom(seed)
    const dataDir = tempDir('nw-appkill-')
    const dbPath = join(dataDir, 'workbench.sqlite')
    const runId = await seedStore(dataDir)
    // The stock stepper paces this MLP so kills land mid-run; the fused dense stepper would finish
    // all 20 epochs between two kills (resume across steppers: denseStackResume.test.ts).
    const env = { NEURAL_WORKBENCH_CHECKPOINT_MS: String(CHECKPOINT_MS), NW_FUSED_DENSE: '0' }
    const lines: string[] = []
    const relaunchDelays: number[] = []
    const lost: number[] = []
    let lastKill = 0
    for (let k = 0; k <= KILLS; k++) {
      const final = k === KILLS
      if (k > 0) relaunchDelays.push(Date.now() - lastKill)
      const h: HostProc = await startHost(dataDir, { env })
      const c = await connect(h)
      // The first request after the start: the run the dead process trained is interrupted already.
      const first = (await c.call('runs.get', { runId })) as { ok: boolean; value: RunSummary }
      expect(first.ok).toBe(true)
      expect(first.value.state).toBe('interrupted')
      expect(first.value.error).toMatch(/stopped while the run was in progress/)
      const resumeFrom = newestCheckpointStep(dbPath, runId)
      const resumed = (await c.call('runs.resume', { runId })) as { ok: boolean; message?: string }
      expect(resumed, resumed.message).toMatchObject({ ok: true })
      const progressSteps = () => c.events.filter((e) => e.event === 'run.progress').map((e) => (e.payload as RunProgress).step)
      // Every fifth kill lands while the worker is still starting (loading the backend, opening the checkpoint).
      if (!final && k % 5 === 4) {
        await sleep(Math.floor(random() * 300))
        c.ws.terminate()
        await killHost(h)
        lastKill = Date.now()
        expect(integrity(dbPath)).toBe('ok')
        lines.push(`kill ${k + 1}: ${progressSteps().length ? 'early in training' : 'before the first batch'}, resumed from step ${resumeFrom}, newest checkpoint ${newestCheckpointStep(dbPath, runId)}`)
        continue
      }
      // Wait for this session's first batches, then (but for the last session) kill at a random moment.
      const t0 = Date.now()
      while (!progressSteps().length) {
        if (Date.now() - t0 > 60_000) throw new Error(`session ${k}: no training progress in 60 s\n${h.output()}`)
        await sleep(10)
      }
      const firstStep = progressSteps()[0]
      // A resumed run continues right after its newest checkpoint (progress is reported every few batches).
      expect(firstStep).toBeGreaterThan(resumeFrom)
      expect(firstStep - resumeFrom).toBeLessThanOrEqual(STEPS_PER_EPOCH)
      if (final) {
        while (true) {
          const r = (await c.call('runs.get', { runId })) as { value: RunSummary }
          if (!['running', 'queued'].includes(r.value.state)) {
            expect(r.value).toMatchObject({ state: 'completed', error: null })
            break
          }
          await sleep(200)
        }
        c.ws.terminate()
        const stop = h.proc.kill('SIGTERM')
        expect(stop).toBe(true)
        expect((await h.exited).code).toBe(0)
        break
      }
      // A random moment: a random time or a random number of steps into the session, whichever comes
      // first (the step bound keeps a fast machine from finishing the run before the last kill).
      const until = Date.now() + Math.floor(random() * 1500)
      const stepBound = firstStep + Math.floor(random() * 150)
      while (Date.now() < until && Math.max(...progressSteps()) < stepBound) await sleep(5)
      const seen = Math.max(...progressSteps())
      c.ws.terminate()
      await killHost(h)
      lastKill = Date.now()
      // The check reads the file between the kill and the relaunch, as fast as the relaunch must be.
      expect(integrity(dbPath)).toBe('ok')
      const kept = newestCheckpointStep(dbPath, runId)
      lost.push(Math.max(0, seen - kept))
      lines.push(`kill ${k + 1}: resumed from step ${resumeFrom}, trained to >= ${seen}, newest checkpoint ${kept} (${Math.max(0, seen - kept)} steps to redo)`)
    }

    // One contiguous series: every step from 1 to the last exactly once, and per-epoch metrics for every epoch.
    const db = new Database(dbPath, { readonly: true })
    const steps = (db.prepare("SELECT step FROM metrics WHERE run_id = ? AND name = 'batch_loss' ORDER BY step").all(runId) as { step: number }[]).map((r) => r.step)
    const epochs = (db.prepare("SELECT step FROM metrics WHERE run_id = ? AND name = 'loss' ORDER BY step").all(runId) as { step: number }[]).length
    db.close()
    expect(steps.length).toBe(CONFIG.epochs * STEPS_PER_EPOCH)
    steps.forEach((s, i) => expect(s).toBe(i + 1))
    expect(epochs).toBe(CONFIG.epochs)
    expect(integrity(dbPath)).toBe('ok')
    console.log(
      [
        `app kill test (seed ${seed}): ${KILLS} kills, relaunch started ${Math.max(...relaunchDelays)} ms after a kill at most; steps to redo per kill: max ${Math.max(...lost)}, mean ${(lost.reduce((a, b) => a + b, 0) / lost.length).toFixed(1)} (checkpoint every ${CHECKPOINT_MS} ms)`,
        ...lines,
      ].join('\n  '),
    )
    expect(Math.max(...relaunchDelays)).toBeLessThan(1000)
  })

  it('a second app on the same data folder is refused naming the first and touching nothing; another folder starts', { timeout: 120_000 }, async () => {
    const dataDir = tempDir('nw-lock-')
    const first = await startHost(dataDir)
    try {
      const dbFile = join(dataDir, 'workbench.sqlite')
      const hash = () => createHash('sha256').update(readFileSync(dbFile)).digest('hex')
      const before = hash()
      const lockBefore = readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8')
      const refused = await startHost(dataDir).then(
        () => null,
        (e: Error & { code: number; output: string }) => e,
      )
      expect(refused).not.toBeNull()
      expect(refused!.code).toBe(4)
      expect(refused!.output).toContain(`pid ${first.proc.pid}`)
      expect(refused!.output).toContain(first.url)
      expect(refused!.output).toContain('already running')
      expect(refused!.output).not.toMatch(/\n\s+at /)
      expect(hash()).toBe(before)
      expect(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8')).toBe(lockBefore)
      // The first is unharmed, and a host on another folder runs beside it.
      const other = await startHost(tempDir('nw-lock-other-'))
      const c = await connect(other)
      expect(await c.call('settings.get', {})).toMatchObject({ ok: true })
      c.ws.terminate()
      other.proc.kill('SIGTERM')
      await other.exited
      const c1 = await connect(first)
      expect(await c1.call('settings.get', {})).toMatchObject({ ok: true })
      c1.ws.terminate()
    } finally {
      first.proc.kill('SIGTERM')
      await first.exited
    }
    // A clean exit releases the folder; a new start takes it.
    const again = await startHost(dataDir)
    again.proc.kill('SIGTERM')
    await again.exited
  })

  it('killed during a CSV import and during an image import: nothing half-imported is listed and the temporary files are gone', { timeout: 300_000 }, async () => {
    const dataDir = tempDir('nw-importkill-')
    const src = tempDir('nw-importkill-src-')
    // Big enough that the import spools to a temporary folder (past 16 MiB of encoded chunks) before it commits.
    const csv = join(src, 'big.csv')
    const random = seededRandom(3)
    const lines = ['a,b,c,d,e,f,g,h,label']
    for (let i = 0; i < 700_000; i++) lines.push(`${Array.from({ length: 8 }, () => (random() * 100).toFixed(3)).join(',')},${i % 3 ? 'x' : 'y'}`)
    writeFileSync(csv, lines.join('\n'))
    const images = join(src, 'images')
    for (const cls of ['cat', 'dog']) {
      mkdirSync(join(images, cls), { recursive: true })
      for (let i = 0; i < 250; i++) {
        const px = Buffer.alloc(32 * 32 * 3)
        for (let j = 0; j < px.length; j++) px[j] = Math.floor(random() * 256)
        await sharp(px, { raw: { width: 32, height: 32, channels: 3 } }).png().toFile(join(images, cls, `${i}.png`))
      }
    }
    const spools = () => readdirSync(dataDir).filter((n) => n.startsWith('.nw-import-'))
    const requests = [
      { kind: 'csv', path: csv, options: { name: 'big', recipe: { target: 'label' } } },
      { kind: 'images', path: images, options: { name: 'pets', width: 128, height: 128, channels: 3 } },
    ]
    for (const request of requests) {
      const h = await startHost(dataDir)
      const c = await connect(h)
      const started = await c.call('datasets.import', request)
      expect(started).toMatchObject({ ok: true })
      const t0 = Date.now()
      while (!spools().length) {
        if (c.events.some((e) => e.event === 'import.finished')) throw new Error(`the ${request.kind} import finished before it spooled: make the input bigger`)
        if (Date.now() - t0 > 120_000) throw new Error(`the ${request.kind} import never spooled`)
        await sleep(5)
      }
      c.ws.terminate()
      await killHost(h)
      expect(spools().length).toBeGreaterThan(0)
      expect(integrity(join(dataDir, 'workbench.sqlite'))).toBe('ok')
      const again = await startHost(dataDir)
      const c2 = await connect(again)
      expect(await c2.call('datasets.list', {})).toMatchObject({ ok: true, value: [] })
      expect(spools()).toEqual([])
      c2.ws.terminate()
      again.proc.kill('SIGTERM')
      await again.exited
    }
    // And the app keeps working: the same file imports whole afterwards.
    const h = await startHost(dataDir)
    const c = await connect(h)
    await c.call('datasets.import', requests[1])
    const t0 = Date.now()
    while (!c.events.some((e) => e.event === 'import.finished')) {
      if (Date.now() - t0 > 120_000) throw new Error('the image import did not finish')
      await sleep(20)
    }
    expect(c.events.find((e) => e.event === 'import.finished')!.payload).toMatchObject({ ok: true, result: { rowCount: 500 } })
    expect(spools()).toEqual([])
    expect(existsSync(join(dataDir, 'workbench.sqlite'))).toBe(true)
    c.ws.terminate()
    h.proc.kill('SIGTERM')
    await h.exited
  })
})
