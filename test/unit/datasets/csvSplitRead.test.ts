import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importCsv } from '../../../main/datasets/csv/import'
import { resolveDialect } from '../../../main/datasets/csv/dialect'
import { readCsv } from '../../../main/datasets/csv/profilePass'
import { balancedCut, splitPoint } from '../../../main/datasets/csv/splitRead'
import { READ_CHUNK_BYTES } from '../../../main/datasets/csv/source'
import { CORPUS_DIR, corpusExpected } from './csvCorpus'
import { csvOutcome as outcome, expectAppError, tableCounts, tempFile, tempStore } from './support'

/** Imports `path` read in one part and read split in two (any size), and returns both outcomes. */
async function bothWays(path: string, options: Parameters<typeof importCsv>[2] = {}): Promise<[object, object]> {
  const db1 = tempStore()
  const db2 = tempStore()
  const one = await importCsv(db1, path, options, undefined, undefined, { splitFrom: Infinity })
  const two = await importCsv(db2, path, options, undefined, undefined, { splitFrom: 1 })
  return [outcome(one, db1), outcome(two, db2)]
}

async function threadsFor(path: string): Promise<number> {
  const resolved = await resolveDialect(path, {})
  const r = await readCsv(path, resolved, { maxFieldChars: 1 << 20, policy: 'skip', overrides: {}, splitFrom: 1 })
  r.spool.dispose()
  return r.threads
}

/** n rows of mixed columns; `comment(i)` gives row i's quoted text field. */
function writeMixed(name: string, n: number, comment: (i: number) => string, nl = '\n'): string {
  const path = tempFile(name)
  const lines = ['id,x,color,flag,day,comment']
  for (let i = 0; i < n; i++) {
    lines.push([i + 1, i % 9 === 0 ? '' : ((i * 37) % 1000) / 10, ['red', 'green', 'blue'][i % 3], i % 2 ? 'yes' : 'no', `2021-0${1 + (i % 9)}-1${i % 10}`, comment(i)].join(','))
  }
  writeFileSync(path, lines.join(nl) + nl)
  return path
}

describe('CSV read split across two threads', () => {
  it('gives the same dataset as the one-thread read, with the later part really read by the helper', async () => {
    const path = writeMixed('mixed.csv', 3000, (i) => (i % 5 === 0 ? `"a, b ""q"" ${i % 13}"` : `w${i % 40}`))
    expect(await threadsFor(path)).toBe(2)
    const [one, two] = await bothWays(path, { recipe: { target: 'color' } })
    expect(two).toEqual(one)
    expect((one as { rowCount: number }).rowCount).toBe(3000)
  })

  it('falls back to one thread when the cut lands inside a quoted field spanning many lines, with the same result', async () => {
    // One row in the middle holds a quoted field with 400 line breaks: the first line break past
    // the middle of the file is inside it, and the part after it looks like ordinary rows.
    const path = writeMixed('straddle.csv', 200, (i) => (i === 100 ? `"${Array.from({ length: 400 }, (_, k) => `${k},7,red,no,2021-01-01,x`).join('\n')}"` : 'plain'))
    const resolved = await resolveDialect(path, {})
    const at = await splitPoint(path, resolved.dialect, resolved.fileBytes, 1)
    expect(at).not.toBeNull()
    expect(await threadsFor(path)).toBe(1)
    const [one, two] = await bothWays(path)
    expect(two).toEqual(one)
    expect((one as { rowCount: number }).rowCount).toBe(200)
  })

  it('splits a CRLF file and keeps its last fields free of CR', async () => {
    const path = writeMixed('crlf.csv', 2000, (i) => (i % 7 === 0 && Math.abs(i - 1000) > 50 ? `"two\r\nlines"` : `t${i % 3}`), '\r\n')
    expect(await threadsFor(path)).toBe(2)
    const [one, two] = await bothWays(path)
    expect(two).toEqual(one)
    const comment = (one as { columns: { name: string; type: string; categories?: string[] }[] }).columns.find((c) => c.name === 'comment')
    expect(comment?.categories?.some((c) => c.includes('\r') && !c.includes('\n'))).toBe(false)
  })

  it('fits the same sampled median and mode split or not (CRLF, more rows than the median sample)', async () => {
    // 60k rows: the date median (and the boolean mode) come from reservoir samples, and the cut
    // leaves a short chunk, so the two reads feed the fitter in different chunks.
    const path = tempFile('crlf60k.csv')
    const lines = ['id,x,color,flag,day']
    for (let i = 0; i < 60_000; i++) {
      const day = i % 11 === 0 ? '' : `2021-0${1 + (i % 9)}-1${i % 10}`
      lines.push([i + 1, i % 9 === 0 ? '' : ((i * 37) % 1000) / 10, ['red', 'green', 'blue'][i % 3], i % 2 ? 'yes' : 'no', day].join(','))
    }
    writeFileSync(path, lines.join('\r\n') + '\r\n')
    expect(await threadsFor(path)).toBe(2)
    const [one, two] = await bothWays(path, { recipe: { target: 'color' } })
    expect(two).toEqual(one)
    const steps = (one as { recipe: { steps: { column: string; missing: string; fill: number }[] } }).recipe.steps
    const day = steps.find((s) => s.column === 'day')
    expect(day?.missing).toBe('median')
    // The days are spread evenly over 2021-01-10..2021-09-19 (18637..18889): a sampled median near the middle.
    expect(day?.fill).toBeGreaterThan(18740)
    expect(day?.fill).toBeLessThan(18790)
  })

  it('cuts halfway through the rest once the helper is ready, not at the middle, with the same result', async () => {
    // ~4.3 MB; this thread sleeps on its first chunks (a slow start, as on a busy core), so the
    // helper says it is ready well before this thread reaches the middle.
    const path = writeMixed('late.csv', 120_000, (i) => (i % 17 === 0 ? `"q ""${i % 5}"" r"` : `w${i % 40}`))
    const size = statSync(path).size
    const resolved = await resolveDialect(path, {})
    const mid = (await splitPoint(path, resolved.dialect, size, 1)) as number
    let slept = 0
    const r = await readCsv(path, resolved, {
      maxFieldChars: 1 << 20,
      policy: 'abort',
      overrides: {},
      splitFrom: 1,
      onBytes: (b) => {
        if (b < mid && slept++ < 2) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500)
      },
    })
    r.spool.dispose()
    expect(r.threads).toBe(2)
    const cut = r.cut as number
    // Past the middle (this thread read on while the helper started), at the start of a line.
    expect(cut).toBeGreaterThan(mid)
    expect(cut).toBeLessThan(size)
    expect(readFileSync(path).subarray(cut - 1, cut).toString()).toBe('\n')
    expect(r.pass.rows).toBe(120_000)
    const [one, two] = await bothWays(path, { recipe: { target: 'color' } })
    expect(two).toEqual(one)
  })

  it('balancedCut: a line start just under halfway through the rest, never inside the read in flight', () => {
    const path = tempFile('lines.csv')
    const line = 'abcdefghi\n'
    writeFileSync(path, line.repeat(1_000_000))
    const size = 10_000_000
    const mid = 5_000_000
    // Ready at byte 0: the line start after 48% of the file.
    expect(balancedCut(path, 0, mid, size)).toBe(4_800_010)
    // Ready at 2 MB: 2e6 + 0.48 * 8e6 = 5.84e6, then the next line start.
    expect(balancedCut(path, 2_000_000, mid, size)).toBe(5_840_010)
    // Close to the end, the read in flight bounds it.
    const late = balancedCut(path, 4_999_990, mid, size)
    expect(late).toBeGreaterThanOrEqual(4_999_990 + READ_CHUNK_BYTES)
    expect(late % 10).toBe(0)
    // Already at the middle: the middle.
    expect(balancedCut(path, mid, mid, size)).toBe(mid)
  })

  it('reads a file with no line break past its middle in one part', async () => {
    const path = tempFile('tiny.csv')
    writeFileSync(path, 'a,b\n1,22222')
    const resolved = await resolveDialect(path, {})
    expect(await splitPoint(path, resolved.dialect, resolved.fileBytes, 1)).toBeNull()
    const [one, two] = await bothWays(path)
    expect(two).toEqual(one)
  })

  it('keeps the default threshold: a small file is never split', async () => {
    const path = writeMixed('small.csv', 50, () => 'x')
    const resolved = await resolveDialect(path, {})
    expect(await splitPoint(path, resolved.dialect, resolved.fileBytes)).toBeNull()
  })

  it('names the file line of a bad row in the later part, and a failed split import writes nothing', async () => {
    const path = writeMixed('bad.csv', 2000, (i) => (i === 1800 ? 'x,too,many' : 'ok'))
    const db = tempStore()
    const before = tableCounts(db)
    // Row 1801 (0-based 1800) is on line 1802: the header is line 1.
    await expectAppError(importCsv(db, path, {}, undefined, undefined, { splitFrom: 1 }), 'invalid_input', 'line 1802', 'bad.csv')
    expect(tableCounts(db)).toEqual(before)
    const [one, two] = await bothWays(path, { onBadRow: 'skip' })
    expect(two).toEqual(one)
    expect((two as { badRows: { total: number; rows: { line: number }[] } }).badRows.rows.map((b) => b.line)).toEqual([1802])
  })

  it('joins integer runs and distinct values across the cut (ids stay ids, categories merge)', async () => {
    const path = tempFile('ids.csv')
    const lines = ['n,cat,shuffled']
    for (let i = 0; i < 5000; i++) lines.push(`${i + 1},c${(i * 7) % 1500},${(i * 7919) % 5000}`)
    writeFileSync(path, lines.join('\n') + '\n')
    const [one, two] = await bothWays(path)
    expect(two).toEqual(one)
    const types = (one as { columns: { type: string }[] }).columns.map((c) => c.type)
    expect(types[0]).toBe('id')
  })

  const expected = corpusExpected()
  const corpus = readdirSync(CORPUS_DIR).filter((f) => f in expected && !expected[f].pandasError)
  const debian = ['/usr/share/gdal/s57objectclasses.csv', '/usr/share/gdal/s57expectedinput.csv', '/usr/share/gdal/grib2_table_4_2_local_NCEP.csv'].filter((f) => existsSync(f))

  it.each([...corpus.map((f) => join(CORPUS_DIR, f)), ...debian])('real file %s: identical whether split or not', async (path) => {
    let both: [object, object] | Error
    try {
      both = await bothWays(path, { onBadRow: 'skip' })
    } catch (e) {
      both = e as Error
    }
    if (both instanceof Error) {
      // A file that cannot be imported fails the same way both ways.
      const db = tempStore()
      await expect(importCsv(db, path, { onBadRow: 'skip' }, undefined, undefined, { splitFrom: 1 })).rejects.toThrow(both.message)
      return
    }
    expect(both[1]).toEqual(both[0])
  })
})
