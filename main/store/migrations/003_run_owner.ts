import type { Migration } from './types'

/**
 * 003: run ownership. A run that trains (or waits in a queue) records which app instance owns it
 * (a random id per start) and that process's pid, beside the heartbeat. At start-up every
 * unfinished run owned by another instance is interrupted at once: with one app per data folder
 * (the data-folder lock), "not mine" means "its process is gone", so no heartbeat window is needed.
 */
export const migration003: Migration = {
  version: 3,
  name: 'runs: owner instance and pid',
  up: (db) => {
    db.exec(`
      ALTER TABLE runs ADD COLUMN owner_instance TEXT;
      ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
    `)
  },
}
