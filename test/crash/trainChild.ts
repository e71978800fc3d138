// A child "app" for the crash test: opens the store in CRASH_DATA_DIR with a core whose training
// runs in this process, resumes run CRASH_RUN_ID and trains it to the end, unless it is killed.
// Run with `node --import tsx test/crash/trainChild.ts`. It appends the time (ms) each batch
// finished to CRASH_LOG, so the parent can tell how much training a kill threw away. With
// CRASH_SELF=checkpoint:N (or metrics:N) it SIGKILLs itself inside the Nth checkpoint insert (or
// the Nth metric row insert) of this session: a crash in the middle of an open write transaction.
import { closeSync, openSync, writeSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import Database from 'better-sqlite3'
import { createCore } from '../../main/core/createCore'
import { inProcessTrainer } from '../helpers/inProcessWorker'

const env = (name: string): string => {
  const v = process.env[name]
  if (v === undefined) throw new Error(`${name} is not set`)
  return v
}
const log = openSync(env('CRASH_LOG'), 'a')
// writeSync reaches the kernel before returning, so a line survives the SIGKILL that follows it.
const note = (line: string) => writeSync(log, `${line}\n`)

const [selfWhere, selfCount] = (process.env.CRASH_SELF ?? '').split(':')
const selfPatterns: Record<string, RegExp> = { checkpoint: /^INSERT INTO checkpoints/, metrics: /^INSERT OR REPLACE INTO metrics/ }
if (selfWhere) {
  const pattern = selfPatterns[selfWhere]
  let left = Number(selfCount)
  const prepare = Database.prototype.prepare
  Database.prototype.prepare = function (this: Database.Database, sql: string) {
    const st = prepare.call(this, sql)
    if (pattern.test(sql.trim())) {
      const run = st.run.bind(st) as (...args: unknown[]) => Database.RunResult
      st.run = ((...args: unknown[]) => {
        const r = run(...args)
        // The row is written but its transaction is still open: die right here.
        if (--left === 0) {
          note(`kill ${Date.now()}`)
          process.kill(process.pid, 'SIGKILL')
        }
        return r
      }) as typeof st.run
    }
    return st
  } as typeof prepare
}

const trainOnBatch = tf.LayersModel.prototype.trainOnBatch
tf.LayersModel.prototype.trainOnBatch = async function (this: tf.LayersModel, ...args: Parameters<typeof trainOnBatch>) {
  const out = await trainOnBatch.apply(this, args)
  note(`batch ${Date.now()}`)
  return out
}

async function main(): Promise<void> {
  const core = createCore({
    dataDir: env('CRASH_DATA_DIR'),
    transport: 'browser',
    appVersion: 'crash-child',
    backendProbe: { resolve: () => null, exists: () => false },
    spawnTrainer: inProcessTrainer,
    checkpointMs: Number(process.env.CRASH_CHECKPOINT_MS ?? 60_000),
  })
  const runId = Number(env('CRASH_RUN_ID'))
  const res = await core.call('runs.resume', { runId })
  if (!res.ok) throw new Error(`resume refused: ${res.message}`)
  await core.engine.idle()
  const end = await core.call('runs.get', { runId })
  note(`end ${end.ok ? (end.value as { state: string }).state : end.message}`)
  await core.close()
  closeSync(log)
}

main().catch((e) => {
  note(`error ${(e as Error).message}`)
  process.exit(1)
})
