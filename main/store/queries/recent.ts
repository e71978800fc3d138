import type { Database } from 'better-sqlite3'
import type { RecentItem, Section } from '../../../common/contract'

// One query per section; each returns id, name, detail, updatedAt (ms since epoch).
const QUERIES: Record<Section, string> = {
  datasets: `
    SELECT d.id, d.name, d.updated_at AS updatedAt,
      d.kind || ' · ' || (SELECT count(*) FROM dataset_versions v WHERE v.dataset_id = d.id) || ' version(s)' AS detail
    FROM datasets d ORDER BY d.updated_at DESC, d.id DESC LIMIT ?`,
  designer: `
    SELECT m.id, m.name, m.updated_at AS updatedAt,
      (SELECT count(*) FROM model_versions v WHERE v.model_id = m.id) || ' version(s)' AS detail
    FROM models m ORDER BY m.updated_at DESC, m.id DESC LIMIT ?`,
  runs: `
    SELECT r.id, r.name, coalesce(r.ended_at, r.started_at, r.created_at) AS updatedAt,
      r.state || coalesce(' · ' || r.backend, '') AS detail
    FROM runs r ORDER BY r.created_at DESC, r.id DESC LIMIT ?`,
  compare: `
    SELECT r.id, r.name, coalesce(r.ended_at, r.created_at) AS updatedAt, r.state AS detail
    FROM runs r WHERE r.state IN ('completed', 'stopped') ORDER BY r.ended_at DESC, r.id DESC LIMIT ?`,
}

/** The most recently touched items of a section, newest first. */
export function listRecent(db: Database, section: Section, limit: number): RecentItem[] {
  return db.prepare(QUERIES[section]).all(limit) as RecentItem[]
}
