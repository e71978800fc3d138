import type { Database } from 'better-sqlite3'
import { settingsSchema, type Settings } from '../../../common/contract'

/** The settings a fresh install starts with. */
export const DEFAULT_SETTINGS: Settings = { theme: 'system', runConcurrency: 1, studyTrialsAtOnce: 'auto', confirmDeletes: true }

/** Reads the settings, falling back to defaults for keys never written or no longer valid. */
export function getSettings(db: Database): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS }
  for (const { key, value } of rows) {
    if (!(key in DEFAULT_SETTINGS)) continue
    try {
      merged[key] = JSON.parse(value)
    } catch {
      // A hand-edited or damaged value: keep the default rather than fail the whole app.
    }
  }
  const parsed = settingsSchema.safeParse(merged)
  return parsed.success ? parsed.data : DEFAULT_SETTINGS
}

/** Writes the given settings in one transaction and returns the full, updated settings. */
export function updateSettings(db: Database, patch: Partial<Settings>): Settings {
  const upsert = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  )
  db.transaction(() => {
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) upsert.run(key, JSON.stringify(value))
    }
  }).immediate()
  return getSettings(db)
}
