import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BadRowCollector } from '../../../main/datasets/csv/badRows'
import { ByteRowReader, byteReadable } from '../../../main/datasets/csv/byteRows'
import { decoderFor } from '../../../main/datasets/csv/encoding'
import { importCsv } from '../../../main/datasets/csv/import'
import { CsvRowReader, type RowReaderConfig } from '../../../main/datasets/csv/rows'
import { WANT_HASH, WasmCsvScanner } from '../../../main/datasets/csv/wasmScan'
import { hash53Bytes } from '../../../main/datasets/csv/uniqueSet'
import { isoDateBytes, SCAN, scanPlainBytes } from '../../../common/datasets/typing'
import { decodeChunk } from '../../../main/datasets/csv/source'
import type { CsvEncoding } from '../../../common/datasets/types'
import { CORPUS_DIR, corpusExpected } from './csvCorpus'
import { csvOutcome as outcome, tempFile, tempStore } from './support'

type Config = Partial<RowReaderConfig> & { encoding?: CsvEncoding; stopAfter?: number }

/** Everything a row reader delivered: header, rows with their lines, blank lines, bad rows, where it ended. */
interface Seen {
  header: string[] | null
  rows: [number, string[]][]
  count: number
  blank: number
  bad: unknown[]
  nextLine: number
  atRecordStart: boolean
}

function base(c: Config): RowReaderConfig {
  return { file: 't.csv', delimiter: ',', newline: '\n', header: true, maxFieldChars: 1 << 20, ...c }
}

/**
 * Reads `bytes` pushed in pieces of `step` bytes with the byte reader, or (text) with CsvRowReader
 * over the same pieces decoded. `headroom`: each piece comes with that many free bytes before it
 * (filled with quotes, which would show if the reader read them), as readBytes hands them over.
 */
function read(bytes: Buffer, c: Config, step: number, text: boolean, headroom = 0): Seen {
  const seen: Seen = { header: null, rows: [], count: 0, blank: 0, bad: [], nextLine: 0, atRecordStart: false }
  const bad = new BadRowCollector('t.csv', 'skip')
  const cfg = base(c)
  // eslint-disable-next-line prefer-const
  let reader: CsvRowReader | ByteRowReader
  const sink = {
    header: (f: string[]) => (seen.header = f),
    row: (f: string[]) => {
      seen.rows.push([reader.currentLine(), f])
      if (c.stopAfter !== undefined && seen.rows.length >= c.stopAfter) reader.stop()
    },
  }
  const encoding = c.encoding ?? 'utf-8'
  const decoder = decoderFor(encoding, false)
  reader = text ? new CsvRowReader(cfg, sink, bad) : new ByteRowReader({ ...cfg, encoding, strict: false }, sink, bad)
  for (let at = 0; at < bytes.length; at += step) {
    const piece = bytes.subarray(at, Math.min(bytes.length, at + step))
    if (reader instanceof ByteRowReader) {
      if (headroom === 0) reader.push(piece, at)
      else {
        const room = Buffer.alloc(headroom + piece.length, 34)
        piece.copy(room, headroom)
        reader.push(room.subarray(headroom), at, headroom)
      }
    } else reader.push(decodeChunk(decoder, piece, true, at))
    if (reader.isStopped) break
  }
  // After a stop the readers need not agree on where the unread text starts (nothing asks).
  seen.nextLine = reader.isStopped ? -1 : reader.nextLine
  seen.atRecordStart = reader.atRecordStart()
  reader.end()
  seen.count = reader.rows
  seen.blank = reader.blankLines
  seen.bad = bad.report.rows
  return seen
}

/** Checks the byte reader against CsvRowReader (PapaParse) for every way of cutting the bytes into pieces. */
function expectSame(content: string | Buffer, c: Config = {}): Seen {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
  const want = read(bytes, c, bytes.length + 1, true)
  for (const step of [bytes.length + 1, 1, 2, 3, 5, 7, 16, 64]) {
    const got = read(bytes, c, step, false)
    expect({ step, ...got }).toEqual({ step, ...read(bytes, c, step, true) })
    // The carried-over record placed in the room before the next piece (or copied, when longer than the room).
    for (const headroom of [4, 4096]) expect({ step, headroom, ...read(bytes, c, step, false, headroom) }).toEqual({ step, headroom, ...got })
  }
  return want
}

describe('ByteRowReader reads what CsvRowReader (PapaParse) reads', () => {
  it('quoted fields with delimiters, line breaks and doubled quotes inside', () => {
    const s = expectSame('a,b,c\n1,"x, y",2\n3,"two\nlines",4\n5,"say ""hi""",6\n7,"""",8\n9,"",10\n')
    expect(s.rows).toEqual([
      [2, ['1', 'x, y', '2']],
      [3, ['3', 'two\nlines', '4']],
      [5, ['5', 'say "hi"', '6']],
      [6, ['7', '"', '8']],
      [7, ['9', '', '10']],
    ])
  })

  it('CRLF files, including a CR and its LF in different pieces, lone CR and LF inside fields', () => {
    const s = expectSame('a,b\r\n1,2\r\n"q\r\nr",x\r\n3,lone\rcr\r\n4,lone\nlf\r\n5,6', { newline: '\r\n' })
    expect(s.rows.map((r) => r[1])).toEqual([['1', '2'], ['q\r\nr', 'x'], ['3', 'lone\rcr'], ['4', 'lone\nlf'], ['5', '6']])
    expect(s.rows.map((r) => r[0])).toEqual([2, 3, 5, 6, 8])
  })

  it('a LF file with some CRLF lines loses the CR of its last field', () => {
    const s = expectSame('a,b\n1,2\r\n3,4\n5,"6"\n')
    expect(s.rows.map((r) => r[1])).toEqual([['1', '2'], ['3', '4'], ['5', '6']])
  })

  it('empty fields, trailing delimiters, blank and whitespace-only lines, no final line break', () => {
    const s = expectSame('a,b,c\n,,\n1,,\n\n   \n2,3,\n,"",4')
    expect(s.rows.map((r) => r[1])).toEqual([['', '', ''], ['1', '', ''], ['2', '3', ''], ['', '', '4']])
    expect(s.blank).toBe(2)
  })

  it('a quoted field closing at the end of the file, and a trailing delimiter after it', () => {
    expect(expectSame('a,b\n1,"end"').rows).toEqual([[2, ['1', 'end']]])
    expect(expectSame('a,b,c\n1,"x",').rows).toEqual([[2, ['1', 'x', '']]])
  })

  it('ragged rows are reported by the line they start on, after multi-line quoted fields', () => {
    const s = expectSame('a,b\n1,"x\ny\nz"\n2\n3,4,5\n6,7\n')
    expect(s.bad).toEqual([
      { line: 5, reason: 'ragged', message: '1 field where the header has 2' },
      { line: 6, reason: 'ragged', message: '3 fields where the header has 2' },
    ])
    expect(s.rows).toEqual([
      [2, ['1', 'x\ny\nz']],
      [7, ['6', '7']],
    ])
  })

  it('comment lines, a preamble, row names and a headerless file', () => {
    expectSame('# note\na,b\n# mid, "quoted\n1,2\n#end', { comment: '#' })
    expectSame('title line\n"quoted, preamble\n\na,b\n1,2\n', { skipLines: 3 })
    expect(expectSame('b,c\nr1,1,2\n', { rowNames: true }).header).toEqual(['', 'b', 'c'])
    const s = expectSame('1,2\n3,4\n5\n', { header: false })
    expect(s.bad).toEqual([{ line: 3, reason: 'ragged', message: '1 field where the first row has 2' }])
    expectSame('x;"y;z"\n1;2\n', { delimiter: ';' })
    expectSame('x\ty\n1\t"2\t3"\n', { delimiter: '\t' })
  })

  it('malformed quotes and giant fields: the same reports and recovery (CsvRowReader takes over)', () => {
    const text = expectSame('a,b\n1,"x"y\n2,3\n4,"open\n5,6\n')
    expect(text.bad.length).toBeGreaterThan(0)
    expectSame('a,b\n1,2\n3,"x" \n4,5\n')
    expectSame('a,b\n1,"never closed\n2,3\n')
    const giant = expectSame(`a,b\n1,${'z'.repeat(300)}\n2,3\n4,"${'q'.repeat(400)}\n5,6\n7,8\n`, { maxFieldChars: 100 })
    expect(giant.bad.map((b) => (b as { reason: string }).reason)).toContain('giant_field')
    expect(giant.rows.map((r) => r[0])).toContain(3)
  })

  it('non-ASCII text: UTF-8 (accents, emoji) and Windows-1252 bytes', () => {
    const s = expectSame('name,city\nJosé,"Zürich, CH"\n😀,北京\n')
    expect(s.rows.map((r) => r[1])).toEqual([['José', 'Zürich, CH'], ['😀', '北京']])
    const w = expectSame(Buffer.from([...Buffer.from('a,b\n'), 0x63, 0x61, 0x66, 0xe9, 0x2c, 0x80, 0x0a]), { encoding: 'windows-1252' })
    expect(w.rows).toEqual([[2, ['café', '€']]])
  })

  it('more records or fields than the wasm scanner returns per call: it goes on, and too wide a record takes the JavaScript path', () => {
    // 30,000 short records in one piece: the scanner's 8,192-record output fills several times.
    const lines = ['id,v,note']
    for (let i = 0; i < 30_000; i++) lines.push(i % 997 === 0 ? `${i},"${i}, quoted",x` : `${i},${i * 2},`)
    const many = Buffer.from(lines.join('\n') + '\n')
    const want = read(many, {}, many.length + 1, true)
    expect(want.count).toBe(30_000)
    for (const step of [many.length + 1, 65_536, 4_099]) expect({ step, ...read(many, {}, step, false) }).toEqual({ step, ...read(many, {}, step, true) })
    // One record of 70,000 fields: more than the scanner's 65,536-field output holds at once.
    const wide = Buffer.from(`${Array.from({ length: 70_000 }, (_, j) => `c${j}`).join(',')}\n${Array.from({ length: 70_000 }, (_, j) => j).join(',')}\n1,2\n`)
    const w = read(wide, {}, wide.length + 1, false)
    expect(w).toEqual(read(wide, {}, wide.length + 1, true))
    expect(w.rows[0][1][69_999]).toBe('69999')
    expect(w.bad).toHaveLength(1)
  })

  it("the wasm scanner reads each field's plain number as scanPlainBytes does, bit for bit", () => {
    const cells = ['0', '-0', '+3', '007', '12', '-45.50', '.5', '5.', '1e22', '1e23', '1.5e-22', '2.5E+3', '1e', 'e5', '-', '+', '1.2.3', '0x10', 'Infinity', 'NaN', '123456789012345', '1234567890123456', '0.1', '3.14159', '9007199254740993', '1_000', ' 1', 'x', '', '4e100000', '1e-7', '-.75']
    for (const decimal of [46, 44]) {
      const row = decimal === 44 ? cells.map((c) => c.replace('.', ',')) : cells
      const bytes = Buffer.from(`${row.join(';')}\n`)
      const w = new WasmCsvScanner()
      w.load(bytes, bytes.length)
      expect(w.scan(0, bytes.length, 59, false, true, 1 << 20, decimal)).toBe(1)
      row.forEach((c, k) => {
        const want = scanPlainBytes(bytes, w.fs[k], w.fe[k], decimal)
        const integer = SCAN.integer
        expect({ c, kind: w.fkind[k] }).toEqual({ c, kind: want === want ? (integer ? 1 : 2) : 0 })
        if (want === want) expect(Object.is(w.fnum[k], want)).toBe(true)
      })
    }
  })

  it('the wasm scanner reads ISO dates as isoDateBytes does', () => {
    const cells = ['2021-02-04', '2021-08-03T22:01:40', '2020-02-29', '2021-02-29', '1900-02-29', '2000-02-29', '0000-01-15', '0000-03-01', '0001-01-01', '9999-12-31T23:59:59', '2020/01/02', '2020/01/02 03:04:05', '2020-01-02 03:04:05', '2020-13-01', '2020-04-31', '2020-01-0x', '20200102', '2020-01-02T24:00:00', '2020-01-02T10:60:00', '1969-12-31T12:00:00', 'x']
    const bytes = Buffer.from(`${cells.join(',')}\n`)
    const w = new WasmCsvScanner()
    w.load(bytes, bytes.length)
    expect(w.scan(0, bytes.length, 44, false, true, 1 << 20, 46)).toBe(1)
    cells.forEach((c, k) => {
      const want = isoDateBytes(bytes, w.fs[k], w.fe[k])
      expect({ c, date: w.fdate[k] }).toEqual({ c, date: want })
    })
  })

  it('the wasm scanner hashes the fields of the columns asked for as hash53Bytes does, and flags spaces', () => {
    const cells = ['red', 'item_33', 'epsilon delta', '', 'Zürich', '2021-08-03T22:01:40', 'a b c', '12345']
    const bytes = Buffer.from(`${cells.join(',')}\n${cells.join(',')}\n`)
    const w = new WasmCsvScanner()
    w.load(bytes, bytes.length)
    // Hashes of every column but the second.
    w.want.fill(WANT_HASH)
    w.want[1] = 0
    expect(w.scan(0, bytes.length, 44, false, true, 1 << 20, 46)).toBe(2)
    for (let k = 0; k < 2 * cells.length; k++) {
      const j = k % cells.length
      const want = j === 1 ? -2 : hash53Bytes(bytes, w.fs[k], w.fe[k])
      expect({ cell: cells[j], hash: w.fhash[k] }).toEqual({ cell: cells[j], hash: want })
      if (want >= 0) expect({ cell: cells[j], space: w.fspace[k] }).toEqual({ cell: cells[j], space: cells[j].includes(' ') ? 1 : 0 })
    }
    expect(w.fhash[4]).toBe(-1)
  })

  it('stops when asked and says where the next record starts', () => {
    const s = expectSame('a\n1\n2\n3\n4\n', { stopAfter: 2 })
    expect(s.rows.map((r) => r[1][0])).toEqual(['1', '2'])
    const r = read(Buffer.from('a,b\n1,"2\n3"\n'), {}, 100, false)
    expect(r.atRecordStart).toBe(true)
    expect(r.nextLine).toBe(4)
    expect(read(Buffer.from('a,b\n1,"2\n3'), {}, 100, false).atRecordStart).toBe(false)
  })

  it('leaves dialects it cannot read on bytes to CsvRowReader', () => {
    expect(byteReadable({ encoding: 'utf-8', newline: '\n', delimiter: ',', comment: '' })).toBe(true)
    expect(byteReadable({ encoding: 'windows-1252', newline: '\r\n', delimiter: ';' })).toBe(true)
    expect(byteReadable({ encoding: 'utf-16le', newline: '\n', delimiter: ',' })).toBe(false)
    expect(byteReadable({ encoding: 'utf-8', newline: '\r', delimiter: ',' })).toBe(false)
    expect(byteReadable({ encoding: 'utf-8', newline: '\n', delimiter: '§' })).toBe(false)
  })
})

/** Imports `path` with rows read from decoded text (the old path) and from bytes; returns both outcomes, or the error both give. */
async function bothReaders(path: string, options: Parameters<typeof importCsv>[2] = {}): Promise<[object, object]> {
  const run = async (textRows: boolean): Promise<object> => {
    const db = tempStore()
    try {
      return outcome(await importCsv(db, path, options, undefined, undefined, { textRows, splitFrom: Infinity }), db)
    } catch (e) {
      return { error: (e as Error).message }
    }
  }
  return [await run(true), await run(false)]
}

describe('imports read from bytes store what the text reader stored', () => {
  it('a BOM, Windows-1252 bytes in a file assumed UTF-8, and a preamble', async () => {
    const bom = tempFile('bom.csv')
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,name\n1,José\n2,Ana\n3,Ana\n')]))
    const [a, b] = await bothReaders(bom)
    expect(b).toEqual(a)
    expect((b as { columns: { name: string }[] }).columns[0].name).toBe('id')
    const latin = tempFile('latin.csv')
    writeFileSync(latin, Buffer.concat([Buffer.from('n,w\n1,caf'), Buffer.from([0xe9]), Buffer.from('\n2,x\n3,x\n')]))
    const [c, d] = await bothReaders(latin)
    expect(d).toEqual(c)
    expect((d as { dialect: { encoding: string } }).dialect.encoding).toBe('windows-1252')
  })

  it('a mixed file over several read chunks, with quotes straddling them, split and not', async () => {
    const path = tempFile('mixed.csv')
    const lines = ['id,x,color,flag,day,comment']
    for (let i = 0; i < 60_000; i++) lines.push([i + 1, i % 9 === 0 ? '' : (i * 37) / 10, ['red', 'green', 'blue'][i % 3], i % 2 ? 'yes' : 'NA', `2021-0${1 + (i % 9)}-1${i % 10}`, i % 5 === 0 ? `"a, b ""q""\n${i % 13}"` : `w${i % 40}`].join(','))
    writeFileSync(path, lines.join('\r\n') + '\r\n')
    const [a, b] = await bothReaders(path, { recipe: { target: 'color' } })
    expect(b).toEqual(a)
    // Split across two threads (the helper reads the later part on bytes too): the same as the text reader split.
    const split = async (textRows: boolean): Promise<object> => {
      const db = tempStore()
      return outcome(await importCsv(db, path, { recipe: { target: 'color' } }, undefined, undefined, { splitFrom: 1, textRows }), db)
    }
    expect(await split(false)).toEqual(await split(true))
  })

  const expected = corpusExpected()
  const corpus = readdirSync(CORPUS_DIR).filter((f) => f in expected)
  const debian = ['/usr/share/gdal/s57objectclasses.csv', '/usr/share/gdal/s57expectedinput.csv', '/usr/share/gdal/grib2_table_4_2_local_NCEP.csv'].filter((f) => existsSync(f))

  it.each([...corpus.map((f) => join(CORPUS_DIR, f)), ...debian])('real file %s', async (path) => {
    const [a, b] = await bothReaders(path, { onBadRow: 'skip' })
    expect(b).toEqual(a)
  })
})
