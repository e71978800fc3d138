import type { Database } from 'better-sqlite3'
import { AppError } from '../../../common/errors'
import { FilterSyntaxError, parseFilter, type FilterClause } from '../../runs/filter'
import { resolveStat } from '../../../common/runs/metricGoal'
import {
  RUN_SORT_COLUMNS,
  RUN_STATES,
  type RunFilter,
  type RunListPage,
  type RunListQuery,
  type RunListRow,
  type RunSort,
  type RunState,
  type VersionRef,
} from '../../../common/runs/types'
import { getMetricSummaries } from './metrics'
import { parseStoredJsonOr } from './storedJson'
import { storedConfigSchema, storedTagsSchema } from '../../../common/runs/storedSchemas'
import type { DeletedRuns, RunFacets } from '../../../common/runs/types'
export type { DeletedRuns, RunFacets }

/** Metrics the runs table summarizes when the query names none. */
export const DEFAULT_METRICS = ['loss', 'accuracy', 'val_loss', 'val_accuracy'] as const
/** Hyperparameters the runs table shows when the query names none. */
export const DEFAULT_CONFIG_KEYS = ['optimizer', 'learningRate', 'batchSize', 'epochs', 'loss', 'seed'] as const

const CONFIG_KEY = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/
const MAX_LIMIT = 1000

// Duration of a running run counts up to its last heartbeat, so sorting by it needs no clock.
const DURATION = 'coalesce(r.ended_at, r.heartbeat_at, r.started_at) - r.started_at'
const SUMMARY_COLUMN = { min: 'min_value', max: 'max_value', last: 'last_value' } as const

const FROM = `
  FROM runs r
  LEFT JOIN model_versions mv ON mv.id = r.model_version_id
  LEFT JOIN models m ON m.id = mv.model_id
  LEFT JOIN dataset_versions dv ON dv.id = r.dataset_version_id
  LEFT JOIN datasets d ON d.id = dv.dataset_id`

interface RunRecord {
  id: number
  name: string
  state: RunState
  backend: string | null
  error: string | null
  config_json: string
  tags_json: string
  note: string
  created_at: number
  started_at: number | null
  ended_at: number | null
  duration: number | null
  model_id: number | null
  model_name: string | null
  model_version_id: number | null
  model_version: number | null
  dataset_id: number | null
  dataset_name: string | null
  dataset_version_id: number | null
  dataset_version: number | null
}

/** A WHERE/ORDER BY fragment with its positional parameters. */
interface Sql {
  text: string
  params: unknown[]
}

const jsonPath = (parts: readonly string[]): string => `$.${parts.join('.')}`

function bad(message: string, details?: unknown): AppError {
  return new AppError('invalid_input', message, details)
}

function idList(name: string, ids: readonly number[] | undefined): string | null {
  if (ids === undefined) return null
  if (!ids.every((v) => Number.isInteger(v))) throw bad(`filter.${name} must hold whole numbers.`)
  return JSON.stringify(ids)
}

/** SQL for one parsed `metric op number` condition, against the run aliased r. */
function clauseSql(c: FilterClause): Sql {
  if (c.field.kind === 'config') {
    const path = jsonPath(c.field.path)
    // Only numbers compare: SQLite ranks any text above any number, which would match nonsense.
    return { text: `(json_type(r.config_json, ?) IN ('integer', 'real') AND json_extract(r.config_json, ?) ${c.op} ?)`, params: [path, path, c.value] }
  }
  const col = SUMMARY_COLUMN[resolveStat(c.field.metric, c.field.stat)]
  return {
    text: `EXISTS (SELECT 1 FROM metric_summaries s WHERE s.run_id = r.id AND s.name = ? AND s.${col} ${c.op} ?)`,
    params: [c.field.metric, c.value],
  }
}

/** The WHERE clause for a filter (joins to models/datasets are in FROM). */
function whereSql(f: RunFilter = {}): Sql {
  const parts: string[] = []
  const params: unknown[] = []
  const add = (text: string, ...p: unknown[]): void => {
    parts.push(text)
    params.push(...p)
  }
  if (f.states !== undefined) {
    const unknown = f.states.find((s) => !(RUN_STATES as readonly string[]).includes(s))
    if (unknown !== undefined) throw bad(`Unknown run state "${unknown}": use ${RUN_STATES.join(', ')}.`)
    add('r.state IN (SELECT value FROM json_each(?))', JSON.stringify(f.states))
  }
  for (const tag of f.tags ?? []) add('EXISTS (SELECT 1 FROM json_each(r.tags_json) t WHERE t.value = ?)', tag)
  const lists: [keyof RunFilter, string][] = [
    ['datasetIds', 'dv.dataset_id'],
    ['datasetVersionIds', 'r.dataset_version_id'],
    ['modelIds', 'mv.model_id'],
    ['modelVersionIds', 'r.model_version_id'],
    ['runIds', 'r.id'],
  ]
  for (const [key, col] of lists) {
    const json = idList(key, f[key] as number[] | undefined)
    if (json !== null) add(`${col} IN (SELECT value FROM json_each(?))`, json)
  }
  const text = f.text?.trim()
  if (text) {
    const like = `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
    add(
      `(r.name LIKE ? ESCAPE '\\' OR r.note LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM json_each(r.tags_json) t WHERE t.value LIKE ? ESCAPE '\\'))`,
      like,
      like,
      like,
    )
  }
  if (f.expression?.trim()) {
    let clauses: FilterClause[]
    try {
      clauses = parseFilter(f.expression)
    } catch (e) {
      // Its own code, with the column and token as details, so the UI needs no message parsing.
      if (e instanceof FilterSyntaxError) throw new AppError('invalid_filter', e.message, { column: e.column, token: e.token })
      throw e
    }
    for (const c of clauses) {
      const s = clauseSql(c)
      add(s.text, ...s.params)
    }
  }
  return { text: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params }
}

/** ORDER BY for a sort (plus a LEFT JOIN for metric sorts); ties and missing values go last, newest id first. */
function orderSql(sort: RunSort | undefined): { join: Sql; order: Sql } {
  const none: Sql = { text: '', params: [] }
  const dir = (sort?.dir ?? (sort ? 'asc' : 'desc')) === 'asc' ? 'ASC' : 'DESC'
  if (!sort) return { join: none, order: { text: 'ORDER BY r.created_at DESC, r.id DESC', params: [] } }
  const by = (expr: string, params: unknown[] = []): Sql => ({ text: `ORDER BY ${expr} ${dir} NULLS LAST, r.id DESC`, params })
  switch (sort.by) {
    case 'metric': {
      const col = SUMMARY_COLUMN[resolveStat(sort.metric, sort.stat ?? 'best')]
      return { join: { text: 'LEFT JOIN metric_summaries so ON so.run_id = r.id AND so.name = ?', params: [sort.metric] }, order: by(`so.${col}`) }
    }
    case 'config':
      if (!CONFIG_KEY.test(sort.key)) throw bad(`Cannot sort by config key "${sort.key}": use names like learningRate or schedule.kind.`)
      return { join: none, order: by('json_extract(r.config_json, ?)', [jsonPath(sort.key.split('.'))]) }
    case 'name':
      return { join: none, order: by('r.name COLLATE NOCASE') }
    case 'state':
      return { join: none, order: by('r.state') }
    case 'model':
      return { join: none, order: { text: `ORDER BY m.name COLLATE NOCASE ${dir} NULLS LAST, mv.version ${dir}, r.id DESC`, params: [] } }
    case 'dataset':
      return { join: none, order: { text: `ORDER BY d.name COLLATE NOCASE ${dir} NULLS LAST, dv.version ${dir}, r.id DESC`, params: [] } }
    case 'backend':
      return { join: none, order: by('r.backend') }
    case 'createdAt':
      return { join: none, order: by('r.created_at') }
    case 'startedAt':
      return { join: none, order: by('r.started_at') }
    case 'duration':
      return { join: none, order: by(DURATION) }
    default:
      throw bad(`Cannot sort by "${String((sort as { by: unknown }).by)}": use ${RUN_SORT_COLUMNS.join(', ')}, config or metric.`)
  }
}

function getPath(obj: unknown, parts: readonly string[]): unknown {
  let cur = obj
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined
    cur = (cur as Record<string, unknown>)[p]
  }
  return cur
}

// A hand-edited or damaged cell must not break the whole table: it reads as empty, and the log names it.
const storedConfig = (r: { id: number; config_json: string }): Record<string, unknown> =>
  parseStoredJsonOr(storedConfigSchema, r.config_json, { table: 'runs', rowId: r.id, column: 'config_json' }, {})
const storedTags = (r: { id: number; tags_json: string }): string[] => parseStoredJsonOr(storedTagsSchema, r.tags_json, { table: 'runs', rowId: r.id, column: 'tags_json' }, [])

function versionRef(id: number | null, name: string | null, versionId: number | null, version: number | null): VersionRef | null {
  return id === null || versionId === null || version === null ? null : { id, name: name ?? '', versionId, version }
}

/**
 * One page of the runs table: filtered, sorted (by any column, a config key or a metric
 * statistic), with the requested hyperparameters and metric summaries, and the total matching.
 */
export function listRuns(db: Database, query: RunListQuery = {}): RunListPage {
  const limit = query.limit ?? 50
  const offset = query.offset ?? 0
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw bad(`limit must be a whole number from 1 to ${MAX_LIMIT} (got ${limit}).`)
  if (!Number.isInteger(offset) || offset < 0) throw bad(`offset must be a whole number ≥ 0 (got ${offset}).`)
  const configKeys = query.configKeys ?? DEFAULT_CONFIG_KEYS
  const badKey = configKeys.find((k) => !CONFIG_KEY.test(k))
  if (badKey !== undefined) throw bad(`Config key "${badKey}" is not a plain name or dot path.`)
  const metrics = query.metrics ?? DEFAULT_METRICS

  const where = whereSql(query.filter)
  const { join, order } = orderSql(query.sort)
  const records = db
    .prepare(
      `SELECT r.id, r.name, r.state, r.backend, r.error, r.config_json, r.tags_json, r.note, r.created_at, r.started_at, r.ended_at,
         ${DURATION} AS duration,
         m.id AS model_id, m.name AS model_name, mv.id AS model_version_id, mv.version AS model_version,
         d.id AS dataset_id, d.name AS dataset_name, dv.id AS dataset_version_id, dv.version AS dataset_version
       ${FROM} ${join.text} ${where.text} ${order.text} LIMIT ? OFFSET ?`,
    )
    .all(...join.params, ...where.params, ...order.params, limit, offset) as RunRecord[]
  const total =
    records.length < limit && (records.length > 0 || offset === 0)
      ? offset + records.length // the page ran out: no need to count
      : ((db.prepare(`SELECT count(*) ${FROM} ${where.text}`).pluck().get(...where.params) as number) ?? 0)

  const summaries = getMetricSummaries(db, records.map((r) => r.id), metrics)
  const rows: RunListRow[] = records.map((r) => {
    const config = storedConfig(r)
    const picked: Record<string, unknown> = {}
    for (const key of configKeys) {
      const v = getPath(config, key.split('.'))
      if (v !== undefined) picked[key] = v
    }
    const perRun = summaries.get(r.id)
    const metricValues: RunListRow['metrics'] = {}
    for (const name of metrics) metricValues[name] = perRun?.get(name) ?? null
    return {
      id: r.id,
      name: r.name,
      state: r.state,
      backend: r.backend,
      error: r.error,
      model: versionRef(r.model_id, r.model_name, r.model_version_id, r.model_version),
      dataset: versionRef(r.dataset_id, r.dataset_name, r.dataset_version_id, r.dataset_version),
      config: picked,
      tags: storedTags(r),
      note: r.note,
      createdAt: r.created_at,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      durationMs: r.duration,
      metrics: metricValues,
    }
  })
  return { rows, total, limit, offset }
}

/** Counts for the runs table's filter menus. */
export function listRunFacets(db: Database): RunFacets {
  return {
    tags: db
      .prepare('SELECT t.value AS tag, count(*) AS count FROM runs r, json_each(r.tags_json) t GROUP BY t.value ORDER BY count DESC, tag')
      .all() as RunFacets['tags'],
    states: db.prepare('SELECT state, count(*) AS count FROM runs GROUP BY state ORDER BY count DESC').all() as RunFacets['states'],
    models: db
      .prepare(`SELECT m.id, m.name, count(*) AS count FROM runs r JOIN model_versions mv ON mv.id = r.model_version_id JOIN models m ON m.id = mv.model_id GROUP BY m.id ORDER BY m.name`)
      .all() as RunFacets['models'],
    datasets: db
      .prepare(`SELECT d.id, d.name, count(*) AS count FROM runs r JOIN dataset_versions dv ON dv.id = r.dataset_version_id JOIN datasets d ON d.id = dv.dataset_id GROUP BY d.id ORDER BY d.name`)
      .all() as RunFacets['datasets'],
    metrics: db.prepare('SELECT DISTINCT name FROM metric_summaries ORDER BY name').pluck().all() as string[],
  }
}

function requireRun(db: Database, runId: number): { state: RunState; tags_json: string } {
  const row = db.prepare('SELECT state, tags_json FROM runs WHERE id = ?').get(runId) as { state: RunState; tags_json: string } | undefined
  if (!row) throw new AppError('not_found', `Run ${runId} does not exist.`)
  return row
}

/** Renames a run (trimmed, 1..200 characters). */
export function renameRun(db: Database, runId: number, name: string): void {
  const clean = name.trim()
  if (clean.length === 0 || clean.length > 200) throw bad('A run name needs 1 to 200 characters.')
  if (db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(clean, runId).changes === 0) throw new AppError('not_found', `Run ${runId} does not exist.`)
}

/** Replaces a run's note (up to 10,000 characters). */
export function setRunNote(db: Database, runId: number, note: string): void {
  if (note.length > 10_000) throw bad('A note can hold up to 10,000 characters.')
  if (db.prepare('UPDATE runs SET note = ? WHERE id = ?').run(note, runId).changes === 0) throw new AppError('not_found', `Run ${runId} does not exist.`)
}

/** Trimmed, non-empty, unique tags of at most 64 characters, in first-seen order. */
export function normalizeTags(tags: readonly string[]): string[] {
  const out: string[] = []
  for (const t of tags) {
    const clean = t.trim()
    if (clean.length === 0) continue
    if (clean.length > 64) throw bad(`Tag "${clean.slice(0, 20)}…" is longer than 64 characters.`)
    if (!out.includes(clean)) out.push(clean)
  }
  return out
}

/** Replaces a run's tags; returns them normalized. */
export function setRunTags(db: Database, runId: number, tags: readonly string[]): string[] {
  const clean = normalizeTags(tags)
  requireRun(db, runId)
  db.prepare('UPDATE runs SET tags_json = ? WHERE id = ?').run(JSON.stringify(clean), runId)
  return clean
}

/** Adds and removes tags on several runs in one transaction (the bulk "tag selected runs" action). */
export function updateRunTags(db: Database, runIds: readonly number[], change: { add?: readonly string[]; remove?: readonly string[] }): void {
  const add = normalizeTags(change.add ?? [])
  const remove = new Set(normalizeTags(change.remove ?? []))
  const update = db.prepare('UPDATE runs SET tags_json = ? WHERE id = ?')
  db.transaction(() => {
    for (const id of runIds) {
      const tags = storedTags({ id, tags_json: requireRun(db, id).tags_json }).filter((t) => !remove.has(t))
      for (const t of add) if (!tags.includes(t) && !remove.has(t)) tags.push(t)
      update.run(JSON.stringify(tags), id)
    }
  }).immediate()
}

/**
 * Deletes runs with their metrics, summaries, checkpoints and evaluation in one transaction.
 * A running run is refused (its worker still writes); stop it first.
 */
export function deleteRuns(db: Database, runIds: readonly number[]): DeletedRuns {
  const ids = JSON.stringify(runIds)
  return db.transaction(() => {
    const busy = db.prepare("SELECT id, name FROM runs WHERE id IN (SELECT value FROM json_each(?)) AND state = 'running'").all(ids) as { id: number; name: string }[]
    if (busy.length > 0) throw new AppError('conflict', `Run "${busy[0]?.name}" is still running; stop it before deleting.`, { runIds: busy.map((b) => b.id) })
    const inIds = 'run_id IN (SELECT value FROM json_each(?))'
    // Explicit deletes (rather than relying on ON DELETE CASCADE) so the counts are exact and the
    // result does not depend on the foreign_keys pragma of the connection.
    const metrics = db.prepare(`DELETE FROM metrics WHERE ${inIds}`).run(ids).changes
    const checkpoints = db.prepare(`DELETE FROM checkpoints WHERE ${inIds}`).run(ids).changes
    db.prepare(`DELETE FROM metric_summaries WHERE ${inIds}`).run(ids)
    db.prepare(`DELETE FROM run_evaluations WHERE ${inIds}`).run(ids)
    db.prepare(`DELETE FROM explanations WHERE ${inIds}`).run(ids)
    const runs = db.prepare('DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?))').run(ids).changes
    return { runs, metrics, checkpoints }
  }).immediate()
}

/** The stored configs of the given runs (parsed config_json), for diffConfigs. */
export function getRunConfigs(db: Database, runIds: readonly number[]): Record<number, unknown> {
  const rows = db.prepare('SELECT id, config_json FROM runs WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(runIds)) as { id: number; config_json: string }[]
  const out: Record<number, unknown> = {}
  for (const r of rows) out[r.id] = storedConfig(r)
  return out
}

/** A run's name, note and tags (a damaged tags cell reads as no tags, as in the runs table), or undefined. */
export function getRunMeta(db: Database, runId: number): { name: string; note: string; tags: string[] } | undefined {
  const row = db.prepare('SELECT name, note, tags_json FROM runs WHERE id = ?').get(runId) as { name: string; note: string; tags_json: string } | undefined
  if (!row) return undefined
  return { name: row.name, note: row.note, tags: storedTags({ id: runId, tags_json: row.tags_json }) }
}

/** Those of the runs that are in one of the states, with their names. */
export function runsInStates(db: Database, runIds: readonly number[], states: readonly string[]): { id: number; name: string; state: string }[] {
  return db
    .prepare('SELECT id, name, state FROM runs WHERE id IN (SELECT value FROM json_each(?)) AND state IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(runIds), JSON.stringify(states)) as { id: number; name: string; state: string }[]
}

/** Run names by id, for the runs asked (absent ones are left out). */
export function runNames(db: Database, runIds: readonly number[]): Map<number, string> {
  return new Map((db.prepare('SELECT id, name FROM runs WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(runIds)) as { id: number; name: string }[]).map((r) => [r.id, r.name]))
}
