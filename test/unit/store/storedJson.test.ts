import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Database } from 'better-sqlite3'
import type { TrainConfig } from '../../../common/contract'
import { AppError } from '../../../common/errors'
import { getRun } from '../../../main/store/queries/runRecords'
import { getRunMeta, listRuns } from '../../../main/store/queries/runs'
import { addRun, tempStore } from '../runs/seed'

// A whole config, as runs.start stores it.
const CONFIG: TrainConfig = { optimizer: 'adam', learningRate: 0.001, momentum: 0.9, schedule: { kind: 'none' }, batchSize: 32, epochs: 5, loss: 'meanSquaredError', earlyStopping: null, seed: 1, backend: 'cpu', keepCheckpoints: 3 }

let db: Database
afterEach(() => {
  db?.close()
  vi.restoreAllMocks()
})

function refusal(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('expected the read to be refused')
}

describe('stored JSON columns are parsed with their schemas at the query boundary', () => {
  it('reads a whole run config back as it was written', () => {
    db = tempStore()
    const id = addRun(db, { config: CONFIG })
    expect(getRun(db, id).config).toEqual(CONFIG)
  })

  it('a config cell that is not JSON is refused naming the table, the row and the column', () => {
    db = tempStore()
    const id = addRun(db, { config: CONFIG })
    db.prepare('UPDATE runs SET config_json = ? WHERE id = ?').run('{"optimizer": "adam", ', id)
    const e = refusal(() => getRun(db, id))
    expect(e.code).toBe('db_corrupt')
    expect(e.message).toContain(`runs row ${id}, column config_json`)
    expect(e.message).toContain('not JSON')
    expect(e.details).toMatchObject({ table: 'runs', rowId: id, column: 'config_json' })
  })

  it('a config of the wrong shape is refused naming the field inside it', () => {
    db = tempStore()
    const id = addRun(db, { config: { ...CONFIG, learningRate: 'fast' } })
    const e = refusal(() => getRun(db, id))
    expect(e.code).toBe('db_corrupt')
    expect(e.message).toContain(`runs row ${id}, column config_json: field "learningRate"`)
    expect(e.details).toMatchObject({ table: 'runs', rowId: id, column: 'config_json', field: 'learningRate' })
  })

  it('in the runs table a damaged tags cell reads as no tags, the other rows stay, and the log names the cell', () => {
    db = tempStore()
    const good = addRun(db, { name: 'good', tags: ['a'] })
    const bad = addRun(db, { name: 'bad', tags: ['b'] })
    db.prepare('UPDATE runs SET tags_json = ? WHERE id = ?').run('{"b": 1}', bad)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const rows = listRuns(db).rows
    expect(rows.find((r) => r.id === good)?.tags).toEqual(['a'])
    expect(rows.find((r) => r.id === bad)?.tags).toEqual([])
    expect(getRunMeta(db, bad)?.tags).toEqual([])
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`runs row ${bad}, column tags_json`))
  })
})
