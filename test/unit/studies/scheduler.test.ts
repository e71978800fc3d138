// The study scheduler over a real core (training on this thread): trials become tagged runs through
// the queue, bad combinations are refused and counted, ASHA stops losers, and a relaunch continues.
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../../main/core/createCore'
import type { WorkerLike } from '../../../main/training/engine'
import type { StudyDetail } from '../../../common/studies/types'
import { getRun } from '../../../main/store/queries/runRecords'
import { CPU_CONFIG, gateSetup, inProcessCore } from '../training/support'
import { createCore } from '../../../main/core/createCore'
import { bareProbe } from '../../helpers/core'
import { inProcessTrainer } from '../../helpers/inProcessWorker'
import { inProcessReader } from '../../helpers/readWorkers'
import { tempDir } from '../../helpers/tmp'
import { availableParallelism } from 'node:os'
import { trialsAtOnce } from '../../../common/studies/trialsAtOnce'

const cores: Core[] = []
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close()
})

async function until(core: Core, studyId: number, done: (s: StudyDetail) => boolean, ms = 90_000): Promise<StudyDetail> {
  const end = Date.now() + ms
  for (;;) {
    const r = await core.call('studies.get', { studyId })
    if (!r.ok) throw new Error(r.message)
    const s = r.value as StudyDetail
    if (done(s)) return s
    if (Date.now() > end) throw new Error(`study ${studyId} stuck: ${JSON.stringify(s.counts)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('study scheduler', () => {
  it('runs a 2x2 grid as four tagged runs, one model version per graph, and refuses a combination that does not fit', async () => {
    const core = inProcessCore()
    cores.push(core)
    const ids = await gateSetup(core, 'and')
    const created = await core.call('studies.create', {
      name: 'grid',
      ...ids,
      config: { ...CPU_CONFIG, epochs: 2 },
      space: { learningRate: { kind: 'choice', values: [0.1, 0.01] }, 'hidden.units': { kind: 'choice', values: [2, 4] }, 'output.units': { kind: 'choice', values: [1, 2] } },
      strategy: { kind: 'grid' },
      objective: { metric: 'val_loss', direction: 'min' },
    })
    if (!created.ok) throw new Error(created.message)
    const study = await until(core, (created.value as StudyDetail).id, (s) => s.state === 'completed')
    expect(study.trials.filter((t) => t.state === "failed").map((t) => t.reason)).toEqual([])
    expect(study.counts).toMatchObject({ completed: 4, invalid: 4, pending: 0, running: 0 })
    const invalid = study.trials.filter((t) => t.state === 'invalid')
    expect(invalid.every((t) => t.params['output.units'] === 2 && t.runId === null && /output unit/.test(t.reason ?? ''))).toBe(true)
    const ran = study.trials.filter((t) => t.state === 'completed')
    expect(new Set(ran.map((t) => t.runId)).size).toBe(4)
    expect(new Set(ran.map((t) => t.modelVersionId)).size).toBe(4)
    for (const t of ran) {
      expect(t.objective).toBeTypeOf('number')
      const tags = JSON.parse((core.db.prepare('SELECT tags_json FROM runs WHERE id = ?').get(t.runId) as { tags_json: string }).tags_json)
      expect(tags).toEqual([`study:${study.id}`, `trial:${t.number}`])
      const run = getRun(core.db, t.runId!)
      expect(run.config.learningRate).toBe(t.params.learningRate)
      const graph = JSON.parse((core.db.prepare('SELECT graph_json FROM model_versions WHERE id = ?').get(t.modelVersionId) as { graph_json: string }).graph_json)
      expect(graph.nodes.find((n: { name: string }) => n.name === 'hidden').params.units).toBe(t.params['hidden.units'])
    }
    const best = ran.reduce((a, b) => (b.objective! < a.objective! ? b : a))
    expect(study.best).toMatchObject({ number: best.number, objective: best.objective, runId: best.runId })
    // Only the trial runs exist: nothing ran twice, invalid ones never ran.
    expect((core.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBe(4)
  }, 180_000)

  it('refuses a space that names an unknown layer or setting, naming it', async () => {
    const core = inProcessCore()
    cores.push(core)
    const ids = await gateSetup(core, 'and')
    const r = await core.call('studies.create', {
      name: 'bad', ...ids, config: CPU_CONFIG,
      space: { 'dense_9.units': { kind: 'choice', values: [1] } },
      strategy: { kind: 'grid' }, objective: { metric: 'val_loss', direction: 'min' },
    })
    expect(r).toMatchObject({ ok: false, code: 'invalid_input', message: expect.stringMatching(/no layer named "dense_9"/) })
    expect((core.db.prepare('SELECT count(*) AS n FROM studies').get() as { n: number }).n).toBe(0)
  })

  it('ASHA stops the worst trials at rungs and lets the promoted ones train on', async () => {
    const core = inProcessCore()
    cores.push(core)
    const ids = await gateSetup(core, 'xor')
    const created = await core.call('studies.create', {
      name: 'asha', ...ids,
      config: { ...CPU_CONFIG, epochs: 4 },
      space: { learningRate: { kind: 'loguniform', min: 1e-4, max: 0.3 } },
      strategy: { kind: 'asha', seed: 5, minEpochs: 1, eta: 2 },
      objective: { metric: 'val_loss', direction: 'min' },
      maxTrials: 6,
    })
    if (!created.ok) throw new Error(created.message)
    const study = await until(core, (created.value as StudyDetail).id, (s) => s.state === 'completed')
    expect(study.counts.pruned).toBeGreaterThan(0)
    expect(study.counts.completed + study.counts.pruned).toBe(6)
    for (const t of study.trials) {
      const epochs = getRun(core.db, t.runId!).epochsDone
      if (t.state === 'pruned') {
        expect(t.reason).toMatch(/Stopped at rung/)
        expect(epochs).toBeLessThan(4)
        expect(epochs).toBe(Math.max(...Object.keys(t.rungs).map(Number)))
      } else expect(epochs).toBe(4)
    }
  }, 180_000)

  it('cross-validates one config: one run per fold, mean and std of each metric across folds', async () => {
    const core = inProcessCore()
    cores.push(core)
    const ids = await gateSetup(core, 'and')
    const created = await core.call('studies.create', {
      name: 'cv', ...ids, config: { ...CPU_CONFIG, epochs: 2 }, space: {},
      strategy: { kind: 'cv', k: 3, seed: 11 }, objective: { metric: 'val_loss', direction: 'min' },
    })
    if (!created.ok) throw new Error(created.message)
    const study = await until(core, (created.value as StudyDetail).id, (s) => s.state === 'completed')
    expect(study.counts.completed).toBe(3)
    expect(study.trials.map((t) => getRun(core.db, t.runId!).config.fold)).toEqual([0, 1, 2].map((index) => ({ k: 3, index, seed: 11 })))
    const finals = study.trials.map((t) => (core.db.prepare("SELECT last_value AS v FROM metric_summaries WHERE run_id = ? AND name = 'val_loss'").get(t.runId) as { v: number }).v)
    const mean = finals.reduce((a, b) => a + b) / 3
    const std = Math.sqrt(finals.reduce((a, v) => a + (v - mean) ** 2, 0) / 2)
    const row = study.cv!.find((m) => m.metric === 'val_loss')!
    expect(row.folds).toBe(3)
    expect(row.mean).toBeCloseTo(mean, 10)
    expect(row.std).toBeCloseTo(std, 10)
    expect(study.cv!.some((m) => m.metric.includes('(objective)'))).toBe(true)
  }, 180_000)

  it('continues after a kill: the interrupted trial resumes its own run, pending trials stay pending, none runs twice', async () => {
    const dir = tempDir()
    // The first app's worker never answers: its trial is "running" when the app dies.
    const silent = (): WorkerLike => ({ postMessage: () => {}, on: () => undefined, terminate: () => {} })
    const first = createCore({ dataDir: dir, transport: 'browser', appVersion: 't', backendProbe: bareProbe, spawnTrainer: silent, spawnReader: inProcessReader })
    const ids = await gateSetup(first, 'and')
    // One trial at a time, so exactly one is running when the app dies.
    await first.call('settings.update', { studyTrialsAtOnce: 1 })
    const created = await first.call('studies.create', {
      name: 'crash', ...ids, config: { ...CPU_CONFIG, epochs: 2 },
      space: { learningRate: { kind: 'choice', values: [0.1, 0.05, 0.01] } },
      strategy: { kind: 'grid' }, objective: { metric: 'val_loss', direction: 'min' },
    })
    if (!created.ok) throw new Error(created.message)
    const before = created.value as StudyDetail
    expect(before.trials.map((t) => t.state)).toEqual(['running', 'pending', 'pending'])
    const firstRun = before.trials[0].runId
    // A kill: nothing is shut down, the process is simply gone (its listeners no longer act).
    first.studies.close()
    const second = createCore({ dataDir: dir, transport: 'browser', appVersion: 't', backendProbe: bareProbe, spawnTrainer: inProcessTrainer, spawnReader: inProcessReader })
    cores.push(second)
    expect(second.interruptedAtStart).toEqual([firstRun])
    const study = await until(second, before.id, (s) => s.state === 'completed')
    expect(study.trials.map((t) => t.state)).toEqual(['completed', 'completed', 'completed'])
    expect(study.trials[0].runId).toBe(firstRun)
    expect((second.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBe(3)
    first.db.close()
  }, 180_000)

  it('a cross-validated objective trains k tagged fold runs per trial and scores each trial by the fold mean, with its std', async () => {
    const core = inProcessCore()
    cores.push(core)
    const ids = await gateSetup(core, 'and')
    const created = await core.call('studies.create', {
      name: 'grid cv', ...ids, config: { ...CPU_CONFIG, epochs: 2 },
      space: { learningRate: { kind: 'choice', values: [0.1, 0.01] } },
      strategy: { kind: 'grid' }, objective: { metric: 'val_loss', direction: 'min', cv: { k: 3, seed: 4 } },
    })
    if (!created.ok) throw new Error(created.message)
    const study = await until(core, (created.value as StudyDetail).id, (s) => s.state === 'completed')
    expect(study.counts).toMatchObject({ completed: 2, failed: 0 })
    for (const t of study.trials) {
      expect(t.folds!.map((f) => f.fold)).toEqual([0, 1, 2])
      const runs = t.folds!.map((f) => getRun(core.db, f.runId!))
      expect(runs.map((r) => r.config.fold)).toEqual([0, 1, 2].map((index) => ({ k: 3, index, seed: 4 })))
      expect(runs.every((r) => r.config.learningRate === t.params.learningRate && r.state === 'completed')).toBe(true)
      for (const [i, r] of runs.entries()) {
        const tags = JSON.parse((core.db.prepare('SELECT tags_json FROM runs WHERE id = ?').get(r.id) as { tags_json: string }).tags_json)
        expect(tags).toEqual([`study:${study.id}`, `trial:${t.number}`, `fold:${i + 1}`])
      }
      // Each fold's objective is its best val_loss; the trial's is their mean, with the sample std.
      const perFold = t.folds!.map((f) => Math.min(...(core.db.prepare("SELECT value FROM metrics WHERE run_id = ? AND name = 'val_loss'").all(f.runId) as { value: number }[]).map((m) => m.value)))
      expect(t.folds!.map((f) => f.objective)).toEqual(perFold)
      const mean = perFold.reduce((a, b) => a + b) / 3
      expect(t.objective).toBeCloseTo(mean, 10)
      expect(t.objectiveStd).toBeCloseTo(Math.sqrt(perFold.reduce((a, v) => a + (v - mean) ** 2, 0) / 2), 10)
      expect(t.runId).toBe(t.folds![0].runId)
    }
    expect(study.best!.objective).toBe(Math.min(...study.trials.map((t) => t.objective!)))
    expect((core.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBe(6)
  }, 180_000)

  it('a cross-validated trial killed mid-way resumes its own fold runs after a relaunch, none run twice', async () => {
    const dir = tempDir()
    const silent = (): WorkerLike => ({ postMessage: () => {}, on: () => undefined, terminate: () => {} })
    const first = createCore({ dataDir: dir, transport: 'browser', appVersion: 't', backendProbe: bareProbe, spawnTrainer: silent, spawnReader: inProcessReader })
    const ids = await gateSetup(first, 'and')
    const created = await first.call('studies.create', {
      name: 'cv crash', ...ids, config: { ...CPU_CONFIG, epochs: 2 },
      space: { learningRate: { kind: 'choice', values: [0.1, 0.01] } },
      strategy: { kind: 'random', seed: 3 }, objective: { metric: 'val_loss', direction: 'min', cv: { k: 3, seed: 2 } },
    })
    if (!created.ok) throw new Error(created.message)
    const before = created.value as StudyDetail
    expect(before.trials.map((t) => t.state)).toEqual(['running', 'pending'])
    const foldRuns = before.trials[0].folds!.map((f) => f.runId)
    first.studies.close()
    const second = createCore({ dataDir: dir, transport: 'browser', appVersion: 't', backendProbe: bareProbe, spawnTrainer: inProcessTrainer, spawnReader: inProcessReader })
    cores.push(second)
    expect([...second.interruptedAtStart].sort()).toEqual([...foldRuns].sort())
    const study = await until(second, before.id, (s) => s.state === 'completed')
    expect(study.trials.map((t) => t.state)).toEqual(['completed', 'completed'])
    expect(study.trials[0].folds!.map((f) => f.runId)).toEqual(foldRuns)
    expect(study.trials.every((t) => t.objectiveStd !== null && t.folds!.every((f) => f.objective !== null))).toBe(true)
    expect((second.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBe(6)
    first.db.close()
  }, 180_000)

  it('pause holds a trial run still waiting in the queue; it starts once, on resume', async () => {
    // The first run spawned (a plain run, not the study's) holds the only slot until released.
    let release: (() => void) | null = null
    const starts: number[] = []
    const spawnTrainer = (): WorkerLike => {
      if (!release) {
        const listeners: ((m: unknown) => void)[] = []
        release = () => listeners.forEach((l) => l({ type: 'done', state: 'stopped' }))
        return { postMessage: () => {}, on: (e: string, l: (m: never) => void) => (e === 'message' ? void listeners.push(l as (m: unknown) => void) : undefined), terminate: () => {} } as WorkerLike
      }
      const w = inProcessTrainer()
      return { ...w, postMessage: (m: { type: string; runId?: number }) => (m.type === 'start' && starts.push(m.runId!), w.postMessage(m as never)) } as WorkerLike
    }
    const core = inProcessCore({ spawnTrainer })
    cores.push(core)
    const ids = await gateSetup(core, 'and')
    // One slot in all, so the study's first run waits behind the blocker.
    await core.call('settings.update', { studyTrialsAtOnce: 1 })
    const blocker = await core.call('runs.start', { ...ids, config: { ...CPU_CONFIG, epochs: 1 } })
    if (!blocker.ok) throw new Error(blocker.message)
    const created = await core.call('studies.create', {
      name: 'held', ...ids, config: { ...CPU_CONFIG, epochs: 2 },
      space: { learningRate: { kind: 'choice', values: [0.1, 0.01] } },
      strategy: { kind: 'grid' }, objective: { metric: 'val_loss', direction: 'min' },
    })
    if (!created.ok) throw new Error(created.message)
    const before = created.value as StudyDetail
    const queuedRun = before.trials[0].runId!
    expect(getRun(core.db, queuedRun).state).toBe('queued')

    const paused = await core.call('studies.control', { studyId: before.id, action: 'pause' })
    if (!paused.ok) throw new Error(paused.message)
    expect(getRun(core.db, queuedRun)).toMatchObject({ state: 'stopped', error: expect.stringMatching(/^Held: study \d+ was paused/) })
    // The slot frees: with the study paused, nothing of it may start.
    release!()
    await core.engine.idle()
    await new Promise((r) => setTimeout(r, 200))
    expect(starts).toEqual([])
    const held = await until(core, before.id, () => true)
    expect(held.state).toBe('paused')
    expect(held.trials.map((t) => t.state)).toEqual(['running', 'pending'])

    const resumed = await core.call('studies.control', { studyId: before.id, action: 'resume' })
    if (!resumed.ok) throw new Error(resumed.message)
    const study = await until(core, before.id, (s) => s.state === 'completed')
    expect(study.trials.map((t) => t.state)).toEqual(['completed', 'completed'])
    expect(study.trials[0].runId).toBe(queuedRun)
    // Each trial's run started exactly once, and no other run was made.
    expect(starts).toEqual(study.trials.map((t) => t.runId))
    expect(getRun(core.db, queuedRun)).toMatchObject({ state: 'completed', epochsDone: 2 })
    expect((core.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBe(3)
  }, 180_000)

  it("trains one trial per core at once ('auto', the default) or the number set; plain runs keep runs-at-a-time", async () => {
    // Workers that train nothing: each start is recorded and ends only when the test says so.
    const live = new Map<number, () => void>()
    let most = 0
    const spawnTrainer = (): WorkerLike => {
      const listeners: ((m: unknown) => void)[] = []
      return {
        postMessage: (m: { type: string; runId?: number }) => {
          if (m.type !== 'start') return
          live.set(m.runId!, () => listeners.forEach((l) => l({ type: 'done', state: 'completed' })))
          most = Math.max(most, live.size)
        },
        on: (e: string, l: (m: never) => void) => (e === 'message' ? void listeners.push(l as (m: unknown) => void) : undefined),
        terminate: () => {},
      } as WorkerLike
    }
    const finish = async (n: number) => {
      for (const [id, end] of [...live].slice(0, n)) {
        live.delete(id)
        end()
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    const core = inProcessCore({ spawnTrainer })
    cores.push(core)
    const ids = await gateSetup(core, 'and')
    const expected = trialsAtOnce('auto', availableParallelism())
    const created = await core.call('studies.create', {
      name: 'side by side', ...ids, config: { ...CPU_CONFIG, epochs: 1 },
      space: { learningRate: { kind: 'choice', values: [0.1, 0.05, 0.01, 0.005, 0.001] } },
      strategy: { kind: 'grid' }, objective: { metric: 'val_loss', direction: 'min' },
    })
    if (!created.ok) throw new Error(created.message)
    await new Promise((r) => setTimeout(r, 50))
    expect(live.size).toBe(expected)
    // A plain run started meanwhile shares the study's slots rather than adding one.
    await core.call('runs.start', { ...ids, config: { ...CPU_CONFIG, epochs: 1 } })
    await new Promise((r) => setTimeout(r, 50))
    expect(live.size).toBe(expected)
    // One at a time from now: as the running ones end, a single trial takes over.
    await core.call('settings.update', { studyTrialsAtOnce: 1 })
    await finish(live.size)
    expect(live.size).toBe(1)
    expect(most).toBe(expected)
    // With the study done, runs at a time (1) rules the plain queue again.
    while (live.size) await finish(1)
    const study = await until(core, (created.value as StudyDetail).id, (s) => s.state === 'completed')
    expect(study.trials.every((t) => t.state === 'completed' || t.state === 'failed')).toBe(true)
    await core.call('runs.start', { ...ids, config: { ...CPU_CONFIG, epochs: 1 } })
    await core.call('runs.start', { ...ids, config: { ...CPU_CONFIG, epochs: 1 } })
    await new Promise((r) => setTimeout(r, 50))
    expect(live.size).toBe(1)
  }, 60_000)
})
