// The import worker's service on a real store file: an import is reported done as soon as it is
// committed, and its pages reach the database file itself right after (the checkpoint that
// commitVersion holds back), so the file alone holds it.
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FromImportWorker, ToImportWorker } from '../../../main/datasets/importProtocol'
import { serveImport } from '../../../main/datasets/serveImport'
import { openStore } from '../../../main/store/open'
import { openSqlite } from '../../../main/store/nativeBinding'
import { tempDir } from '../../helpers/tmp'

/** Rows of dataset chunks in a copy of the database file alone (its WAL left behind). */
function chunksInFileAlone(dbPath: string, dir: string, name: string): number {
  const copy = join(dir, name)
  copyFileSync(dbPath, copy)
  const db = openSqlite(copy, { fileMustExist: true })
  try {
    return (db.prepare('SELECT count(*) AS n FROM dataset_chunks').get() as { n: number }).n
  } finally {
    db.close()
  }
}

describe('the import worker', () => {
  it('reports an import when committed, then folds it into the database file', async () => {
    const dir = tempDir()
    const dbPath = join(dir, 'store.sqlite')
    // The app's own connection stays open, as main's does, so no close checkpoints for the worker.
    const main = openStore(dbPath)
    // The schema into the file itself, so a copy of the file alone can be queried.
    main.pragma('wal_checkpoint(TRUNCATE)')
    const csv = join(dir, 'wide.csv')
    const lines = ['a,b,c,label']
    for (let i = 0; i < 60_000; i++) lines.push(`${i},${(i * 0.37) % 11},${i % 7 === 0 ? 'x' : 'y'},${i % 3}`)
    writeFileSync(csv, lines.join('\n'))
    const seen: FromImportWorker['type'][] = []
    let atDone = -1
    let listener: (msg: ToImportWorker) => void = () => {}
    const finished = new Promise<void>((resolve) => {
      serveImport({
        postMessage: (m) => {
          seen.push(m.type)
          if (m.type === 'done') {
            atDone = chunksInFileAlone(dbPath, dir, 'at-done.sqlite')
            // The checkpoint runs right after this message, in the same turn.
            setTimeout(resolve, 0)
          }
          if (m.type === 'error') resolve()
        },
        on: (_event, l) => void (listener = l),
      })
    })
    listener({ type: 'start', dbPath, request: { kind: 'csv', path: csv, options: { name: 'wide', recipe: { target: 'label' } } } } as ToImportWorker)
    await finished
    expect(seen.at(-1)).toBe('done')
    const stored = (main.prepare('SELECT count(*) AS n FROM dataset_chunks').get() as { n: number }).n
    expect(stored).toBeGreaterThan(0)
    // Reported before its pages were copied into the file, and in the file right after.
    expect(atDone).toBe(0)
    expect(chunksInFileAlone(dbPath, dir, 'after.sqlite')).toBe(stored)
    main.close()
  }, 60_000)
})
