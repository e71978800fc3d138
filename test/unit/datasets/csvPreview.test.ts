import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { previewCsv } from '../../../main/datasets/csv/preview'
import { csvFixture, expectAppError, tempFile } from './support'

describe('previewCsv: quoting, line ends and blank lines (RFC 4180)', () => {
  it('reads quoted delimiters, doubled quotes, CR/LF inside quotes, CRLF ends and a missing final newline', async () => {
    const p = await previewCsv(csvFixture('quoted.csv'))
    expect(p.dialect.newline).toBe('\r\n')
    expect(p.header).toEqual(['id', 'text', 'n'])
    expect(p.rows).toEqual([
      ['1', 'a, b', '1'],
      ['2', 'say "hi"', '2'],
      ['3', 'two\r\nlines', '3'],
      ['4', 'also\ntwo', '4'],
      ['5', 'plain', '5'],
    ])
    expect(p.badRows.total).toBe(0)
  })

  it('reads CR-only line ends, with a CR inside a quoted field', async () => {
    const p = await previewCsv(csvFixture('cr_only.csv'))
    expect(p.dialect.newline).toBe('\r')
    expect(p.rows).toEqual([
      ['1', 'x'],
      ['2', 'y\rz'],
      ['3', 'w'],
    ])
  })

  it('skips blank and whitespace-only lines and counts them', async () => {
    const p = await previewCsv(csvFixture('blank_lines.csv'))
    expect(p.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ])
    expect(p.blankLines).toBe(4)
  })
})

describe('previewCsv: encodings', () => {
  it('strips a UTF-8 byte-order mark so it never leaks into the first header', async () => {
    const p = await previewCsv(csvFixture('bom_utf8.csv'))
    expect(p.dialect).toMatchObject({ encoding: 'utf-8', bom: true, encodingReason: 'UTF-8 byte-order mark' })
    expect(p.header[0]).toBe('name')
    expect(p.rows).toEqual([
      ['Zoë', 'Malmö'],
      ['Jürgen', 'Köln'],
    ])
  })

  it.each([
    ['utf16le.csv', 'utf-16le'],
    ['utf16be.csv', 'utf-16be'],
  ])('reads %s by its byte-order mark', async (file, encoding) => {
    const p = await previewCsv(csvFixture(file))
    expect(p.dialect.encoding).toBe(encoding)
    expect(p.dialect.bom).toBe(true)
    expect(p.header).toEqual(['name', 'temp'])
    expect(p.rows).toEqual([
      ['Zoë', '21.5'],
      ['東京', '30'],
    ])
    expect(p.columns[1].type).toBe('float')
  })

  it('spots UTF-16 without a byte-order mark by its zero bytes', async () => {
    const path = tempFile('nobom16.csv')
    writeFileSync(path, Buffer.from('name,temp\nOslo,3\nRoma,18\n', 'utf16le'))
    const p = await previewCsv(path)
    expect(p.dialect).toMatchObject({ encoding: 'utf-16le', bom: false })
    expect(p.dialect.encodingReason).toContain('no byte-order mark')
    expect(p.rows).toEqual([
      ['Oslo', '3'],
      ['Roma', '18'],
    ])
  })

  it('falls back to Windows-1252 when the bytes are not UTF-8, and says why', async () => {
    const p = await previewCsv(csvFixture('latin1.csv'))
    expect(p.dialect.encoding).toBe('windows-1252')
    expect(p.dialect.encodingReason).toBe('not valid UTF-8 (byte 14); read as Windows-1252 (Latin-1)')
    expect(p.rows.map((r) => r[0])).toEqual(['café', 'naïve', '€'])
  })

  it('falls back to Windows-1252 for a bad byte far past the sniffed head', async () => {
    const path = tempFile('late.csv')
    const head = Buffer.from('a,b\n' + 'x,1\n'.repeat(30_000))
    writeFileSync(path, Buffer.concat([head, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x32, 0x0a])]))
    const p = await previewCsv(path, { sampleRows: 1_000_000 })
    expect(p.dialect.encoding).toBe('windows-1252')
    expect(p.dialect.encodingReason).toBe(`not valid UTF-8 (byte ${head.length + 3}); read as Windows-1252 (Latin-1)`)
    expect(p.basis.rows).toBe(30_001)
  })

  it('honours an encoding the caller gives', async () => {
    const p = await previewCsv(csvFixture('latin1.csv'), { encoding: 'utf-8' })
    expect(p.dialect).toMatchObject({ encoding: 'utf-8', encodingReason: 'chosen' })
    expect(p.rows[0][0]).toBe('caf\ufffd')
  })

  it('refuses a binary file, naming it', async () => {
    const path = tempFile('photo.csv')
    writeFileSync(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]))
    await expectAppError(previewCsv(path), 'invalid_input', path, 'is not a text file (byte 8 is zero)')
  })
})

describe('previewCsv: delimiter, decimal and header sniffing', () => {
  it.each([
    ['basic.csv', ',', '.', true, 4],
    ['semicolon_decimal.csv', ';', ',', true, 3],
    ['tabs.tsv', '\t', '.', true, 3],
    ['pipes.csv', '|', '.', true, 3],
    ['single_column.csv', ',', '.', true, 1],
    ['no_header.csv', ',', '.', false, 3],
  ] as const)('%s: delimiter %j, decimal %j, header %s, %i columns', async (file, delimiter, decimal, header, columns) => {
    const p = await previewCsv(csvFixture(file))
    expect(p.dialect).toMatchObject({ delimiter, decimal, header })
    expect(p.dialect.sniffed).toEqual({ encoding: true, delimiter: true, decimal: true, header: true, skipLines: true, comment: true, thousands: true, dateOrder: true })
    expect(p.columns).toHaveLength(columns)
  })

  it('reads decimal commas as numbers in a semicolon file', async () => {
    const p = await previewCsv(csvFixture('semicolon_decimal.csv'))
    expect(p.columns.map((c) => c.type)).toEqual(['id', 'float', 'float'])
    expect(p.columns[1].stats).toMatchObject({ min: 3.5, max: 18.25 })
  })

  it('keeps a comma inside a pipe-delimited field', async () => {
    const p = await previewCsv(csvFixture('pipes.csv'))
    expect(p.rows[0]).toEqual(['1', 'x,y', '3'])
  })

  it('names the columns of a headerless file column_1.. and keeps the first row as data', async () => {
    const p = await previewCsv(csvFixture('no_header.csv'))
    expect(p.header).toEqual(['column_1', 'column_2', 'column_3'])
    expect(p.rows).toHaveLength(3)
  })

  it('lets the caller override delimiter and header', async () => {
    const p = await previewCsv(csvFixture('basic.csv'), { delimiter: ';', header: false })
    expect(p.dialect).toMatchObject({ delimiter: ';', header: false, sniffed: { delimiter: false, header: false } })
    expect(p.header).toEqual(['column_1'])
    expect(p.rows[0]).toEqual(['name,age,score,member'])
  })

  it('names blank headers and suffixes repeated ones', async () => {
    const p = await previewCsv(csvFixture('duplicate_headers.csv'))
    expect(p.header).toEqual(['x', 'column_2', 'x_2', 'y'])
  })
})

describe('previewCsv: refused files name the file', () => {
  it('an empty file', async () => {
    const f = csvFixture('empty.csv')
    await expectAppError(previewCsv(f), 'invalid_input', `${f}: the file is empty`)
  })
  it('a header without rows', async () => {
    const f = csvFixture('header_only.csv')
    await expectAppError(previewCsv(f), 'invalid_input', `${f}: has a header but no data rows`)
  })
  it('only blank lines', async () => {
    const f = csvFixture('blank_only.csv')
    await expectAppError(previewCsv(f), 'invalid_input', `${f}: has no rows (only blank lines)`)
  })
  it('a missing file', async () => {
    const f = csvFixture('nope.csv')
    await expectAppError(previewCsv(f), 'not_found', `${f}: no such file`)
  })
  it('a folder', async () => {
    const f = csvFixture('')
    await expectAppError(previewCsv(f), 'invalid_input', 'is a folder, not a CSV file')
  })
  it('bad options, naming the field', async () => {
    await expectAppError(previewCsv(csvFixture('basic.csv'), { delimiter: ';;' } as never), 'invalid_input', 'field "delimiter"')
  })
})

describe('previewCsv: bad rows are reported with their line (a preview never stops)', () => {
  it('ragged rows', async () => {
    const p = await previewCsv(csvFixture('ragged.csv'))
    expect(p.badRows).toEqual({
      total: 2,
      rows: [
        { line: 4, reason: 'ragged', message: '4 fields where the header has 3' },
        { line: 5, reason: 'ragged', message: '2 fields where the header has 3' },
      ],
    })
    expect(p.rows).toEqual([
      ['1', '2', '3'],
      ['4', '5', '6'],
      ['13', '14', '15'],
    ])
  })

  it('an unterminated quote runs to the end of the file', async () => {
    const p = await previewCsv(csvFixture('unterminated.csv'))
    expect(p.badRows.rows).toEqual([{ line: 3, reason: 'unterminated_quote', message: 'a quote opened on this line is never closed (the file ends inside it)' }])
    expect(p.rows).toEqual([['1', '2']])
  })

  it('text after a closing quote', async () => {
    const p = await previewCsv(csvFixture('bad_quotes.csv'))
    expect(p.badRows.rows).toEqual([
      { line: 3, reason: 'bad_quotes', message: 'a quoted field has text after its closing quote (a quote inside a field must be doubled: "")' },
    ])
    expect(p.rows).toEqual([
      ['1', 'fine'],
      ['3', 'ok'],
    ])
  })

  it('a field over the size limit', async () => {
    const p = await previewCsv(csvFixture('giant_field.csv'), { maxFieldChars: 1000 })
    expect(p.badRows.rows).toEqual([{ line: 3, reason: 'giant_field', message: 'field 2 has 2,000 characters, over the 1,000-character limit' }])
    expect(p.rows).toEqual([
      ['1', 'short'],
      ['3', 'short'],
    ])
  })

  it('a giant quoted field spanning read chunks is skipped without being buffered, and reading resumes after it', async () => {
    const path = tempFile('giant.csv')
    writeFileSync(path, `a,b\n1,ok\n2,"${'y'.repeat(3 << 20)}\nstill inside"\n3,after\n`)
    const p = await previewCsv(path)
    expect(p.badRows.rows).toEqual([
      { line: 3, reason: 'giant_field', message: 'this row is longer than the 1 MiB limit (a giant field, or a quote opened on this line that is never closed)' },
    ])
    expect(p.rows).toEqual([
      ['1', 'ok'],
      ['3', 'after'],
    ])
  })

  it('an unterminated quote far from the end of a big file is reported once with the lines it swallowed', async () => {
    const path = tempFile('open.csv')
    writeFileSync(path, `a,b\n1,ok\n2,"never closed\n${'3,x\n'.repeat(400_000)}`)
    const p = await previewCsv(path)
    expect(p.badRows.total).toBe(1)
    expect(p.badRows.rows[0]).toEqual({ line: 3, reason: 'unterminated_quote', message: 'a quote opened on this line is never closed; lines 3 to 400004 were left out' })
    expect(p.rows).toEqual([['1', 'ok']])
  })
})
