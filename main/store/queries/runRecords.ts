import type { Database } from 'better-sqlite3'
import { trainConfigSchema, type BackendAttemptInfo, type RunState, type RunSummary, type StepperInfo, type TrainConfig } from '../../../common/contract'
import { AppError } from '../../../common/errors'
import { parseStoredJson } from './storedJson'
import { withFullSync } from '../open'

interface RunRow {
  id: number
  name: string
  state: RunState
  model_version_id: number | null
  dataset_version_id: number | null
  backend: string | null
  backend_reason: string | null
  error: string | null
  config_json: string
  created_at: number
  started_at: number | null
  ended_at: number | null
  epochs_done: number
}

// Finished epochs are those with an epoch 'loss' metric (its summary row holds the last one);
// checkpoints cannot tell, since mid-epoch ones carry the epoch they are in.
const SELECT = `SELECT r.*, coalesce((SELECT s.last_epoch + 1 FROM metric_summaries s WHERE s.run_id = r.id AND s.name = 'loss'), 0) AS epochs_done FROM runs r`

/** What the worker learned choosing a backend, as runs.backend_reason stores it (JSON). */
export interface BackendRecord {
  reason: string
  device: string | null
  /** Faster rungs that failed, with their loaders' errors verbatim. */
  tried: BackendAttemptInfo[]
  /** How the steps ran, once the fit loop has chosen (absent in records written before that). */
  stepper?: StepperInfo
}

/** Encodes backend details for runs.backend_reason. */
export function encodeBackendRecord(r: BackendRecord): string {
  return JSON.stringify(r)
}

/** Reads runs.backend_reason: JSON from this version on, plain text (the reason alone) before. */
export function decodeBackendRecord(text: string | null): BackendRecord | null {
  if (text === null) return null
  if (text.startsWith('{')) {
    try {
      const r = JSON.parse(text) as Partial<BackendRecord>
      if (typeof r.reason === 'string') {
        const stepper = r.stepper && typeof r.stepper.label === 'string' && typeof r.stepper.threads === 'number' ? { label: r.stepper.label, threads: r.stepper.threads, reason: r.stepper.reason ?? null } : undefined
        return { reason: r.reason, device: r.device ?? null, tried: Array.isArray(r.tried) ? r.tried : [], ...(stepper ? { stepper } : {}) }
      }
    } catch {
      // Not ours: fall through and show it as text.
    }
  }
  return { reason: text, device: null, tried: [] }
}

function toSummary(r: RunRow): RunSummary {
  const backend = decodeBackendRecord(r.backend_reason)
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    modelVersionId: r.model_version_id,
    datasetVersionId: r.dataset_version_id,
    backend: r.backend,
    backendReason: backend?.reason ?? null,
    backendDevice: backend?.device ?? null,
    backendTried: backend?.tried ?? [],
    stepper: backend?.stepper ?? null,
    error: r.error,
    config: parseStoredJson(trainConfigSchema, r.config_json, { table: 'runs', rowId: r.id, column: 'config_json' }),
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    epochsDone: r.epochs_done,
  }
}

/** One run, or not_found naming it. */
export function getRun(db: Database, runId: number): RunSummary {
  const row = db.prepare(`${SELECT} WHERE r.id = ?`).get(runId) as RunRow | undefined
  if (!row) throw new AppError('not_found', `Run ${runId} does not exist.`)
  return toSummary(row)
}

/** The newest runs first. */
export function recentRuns(db: Database, limit: number): RunSummary[] {
  return (db.prepare(`${SELECT} ORDER BY r.created_at DESC, r.id DESC LIMIT ?`).all(limit) as RunRow[]).map(toSummary)
}

/** Creates a queued run pointing at the exact model and dataset versions it will train. */
export function createRun(db: Database, r: { name: string; modelVersionId: number; datasetVersionId: number; config: TrainConfig }): number {
  return withFullSync(db, () =>
    Number(
      db
        .prepare("INSERT INTO runs (name, model_version_id, dataset_version_id, config_json, state, created_at) VALUES (?, ?, ?, ?, 'queued', ?)")
        .run(r.name, r.modelVersionId, r.datasetVersionId, JSON.stringify(r.config), Date.now()).lastInsertRowid,
    ),
  )
}

/** Moves a run to a new state (power-loss safe); terminal states record the end time and error. */
export function setRunState(db: Database, runId: number, state: RunState, extra: { error?: string | null; backend?: string; backendReason?: string } = {}): void {
  const now = Date.now()
  const ended = ['completed', 'failed', 'stopped', 'interrupted'].includes(state)
  withFullSync(db, () => {
    db.prepare(
      `UPDATE runs SET state = ?,
        started_at = CASE WHEN ? = 'running' AND started_at IS NULL THEN ? ELSE started_at END,
        ended_at = CASE WHEN ? THEN ? ELSE NULL END,
        heartbeat_at = ?,
        error = CASE WHEN ? THEN ? ELSE error END,
        backend = coalesce(?, backend), backend_reason = coalesce(?, backend_reason)
       WHERE id = ?`,
    ).run(state, state, now, ended ? 1 : 0, now, now, extra.error !== undefined ? 1 : 0, extra.error ?? null, extra.backend ?? null, extra.backendReason ?? null, runId)
  })
}

/** Rewrites a run's backend record (runs.backend_reason) alone, e.g. to add how its steps run; the state is left as it is. */
export function setBackendRecord(db: Database, runId: number, record: BackendRecord): void {
  db.prepare('UPDATE runs SET backend_reason = ? WHERE id = ?').run(encodeBackendRecord(record), runId)
}

/** The app instance that owns a run while it waits or trains: a random id per start and its pid. */
export interface RunOwner {
  instance: string
  pid: number
}

/** Records that the run's process is alive, and which instance and process it is. */
export function heartbeat(db: Database, runId: number, owner?: RunOwner): void {
  if (owner) db.prepare('UPDATE runs SET heartbeat_at = ?, owner_instance = ?, owner_pid = ? WHERE id = ?').run(Date.now(), owner.instance, owner.pid, runId)
  else db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?').run(Date.now(), runId)
}

/** Marks a run as owned by this instance (queued or about to train), with a fresh heartbeat. */
export function claimRun(db: Database, runId: number, owner: RunOwner): void {
  heartbeat(db, runId, owner)
}

const UNFINISHED = "state IN ('queued', 'running', 'paused')"

/** Why a run whose app process went away is interrupted (the text the run shows). */
export function appGoneReason(ownerPid: number | null): string {
  const who = ownerPid ? `The app process that was training this run (pid ${ownerPid})` : 'The app'
  return `${who} stopped while the run was in progress (closed, killed or a power loss). Resume it to continue from its newest checkpoint.`
}

/**
 * At start-up, under the data-folder lock: every unfinished run (queued, running or paused) that
 * this instance does not own belongs to a process that is gone, so it is interrupted at once, with
 * the reason on the run. Returns the ids it interrupted.
 */
export function interruptForeignRuns(db: Database, instance: string, now = Date.now()): number[] {
  const rows = db.prepare(`SELECT id, owner_pid AS pid FROM runs WHERE ${UNFINISHED} AND coalesce(owner_instance, '') <> ?`).all(instance) as { id: number; pid: number | null }[]
  if (rows.length) {
    withFullSync(db, () => {
      const st = db.prepare(`UPDATE runs SET state = 'interrupted', ended_at = ?, error = ? WHERE id = ? AND ${UNFINISHED}`)
      for (const r of rows) st.run(now, appGoneReason(r.pid), r.id)
    })
  }
  return rows.map((r) => r.id)
}

/** The unfinished runs this instance owns, with their last heartbeat (for the live sweeper). */
export function ownedUnfinishedRuns(db: Database, instance: string): { id: number; state: RunState; heartbeatAt: number | null }[] {
  return db.prepare(`SELECT id, state, heartbeat_at AS heartbeatAt FROM runs WHERE ${UNFINISHED} AND owner_instance = ?`).all(instance) as { id: number; state: RunState; heartbeatAt: number | null }[]
}

/** Interrupts one unfinished run with the reason shown on it (power-loss safe); false if it had already ended. */
export function interruptRun(db: Database, runId: number, reason: string, now = Date.now()): boolean {
  return withFullSync(db, () => db.prepare(`UPDATE runs SET state = 'interrupted', ended_at = ?, heartbeat_at = ?, error = ? WHERE id = ? AND ${UNFINISHED}`).run(now, now, reason, runId).changes > 0)
}

/** A run's series, optionally only some metrics and only steps after afterStep. */
export function readMetrics(db: Database, runId: number, names: readonly string[] | undefined, afterStep: number): Record<string, { step: number; epoch: number; value: number; wallTime: number }[]> {
  const rows = db
    .prepare('SELECT name, step, epoch, value, wall_time AS wallTime FROM metrics WHERE run_id = ? AND step > ? ORDER BY name, step')
    .all(runId, afterStep) as { name: string; step: number; epoch: number; value: number; wallTime: number }[]
  const out: Record<string, { step: number; epoch: number; value: number; wallTime: number }[]> = {}
  // NaN is stored as NULL (SQLite has no NaN); hand it back as NaN.
  for (const { name, ...p } of rows) if (!names || names.includes(name)) (out[name] ??= []).push({ ...p, value: p.value ?? NaN })
  return out
}

/** Stores a run's final evaluation (one per run; a re-evaluation replaces it). */
export function saveEvaluation(db: Database, runId: number, evaluation: unknown): void {
  db.prepare('INSERT OR REPLACE INTO run_evaluations (run_id, split, json, created_at) VALUES (?, ?, ?, ?)').run(
    runId,
    (evaluation as { split?: string }).split ?? 'test',
    JSON.stringify(evaluation),
    Date.now(),
  )
}

/** A run's stored evaluation, or null. */
export function getEvaluation(db: Database, runId: number): unknown {
  const row = db.prepare('SELECT json FROM run_evaluations WHERE run_id = ?').get(runId) as { json: string } | undefined
  return row ? JSON.parse(row.json) : null
}
