import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { importCsv } from '../../../main/datasets/csv/import'
import { previewCsv } from '../../../main/datasets/csv/preview'
import { cellFormat, dateValue, numericCell, numericKind, INTEGER, FLOAT } from '../../../common/datasets/typing'
import { expectAppError, tableCounts, tempFile, tempStore } from './support'

/** A seeded stream of numbers, so the shapes below are the same every run. */
function numbers(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function write(name: string, text: string): string {
  const path = tempFile(name)
  writeFileSync(path, text)
  return path
}

describe('preamble: the skip count is searched together with the delimiter', () => {
  it('reads "569,30,malignant,benign" above 569 rows of 31 numbers as a one-line preamble over 31 columns', async () => {
    const rnd = numbers(1)
    const lines = ['569,30,malignant,benign']
    for (let i = 0; i < 569; i++) lines.push([...Array.from({ length: 30 }, () => (rnd() * 100).toFixed(3)), String(i % 2)].join(','))
    const path = write('breast_cancer.csv', lines.join('\n') + '\n')
    const p = await previewCsv(path)
    expect(p.dialect.skipLines).toBe(1)
    expect(p.dialect.skipped).toEqual([{ line: 1, text: '569,30,malignant,benign', reason: expect.stringContaining('4 fields where the table below has 31') }])
    expect(p.dialect.header).toBe(false)
    expect(p.columns).toHaveLength(31)
    expect(p.basis.rows).toBe(569)
    expect(p.badRows.total).toBe(0)
    expect(p.columns.slice(0, 30).every((c) => c.type === 'float')).toBe(true)

    const db = tempStore()
    const r = await importCsv(db, path, { recipe: { target: 'column_31', task: 'classification' } })
    expect(r.rowCount).toBe(569)
    expect(r.columns).toHaveLength(31)
    expect(r.dialect.skipLines).toBe(1)
  })

  it('skips a title and a blank line, naming each with its reason, and keeps the header below them', async () => {
    const path = write('titled.csv', 'Sales report 2021\n\nregion;units;price\nnorth;3;1,5\nsouth;4;2,25\nnorth;3;3\nsouth;7;1\n')
    const p = await previewCsv(path)
    expect(p.dialect).toMatchObject({ delimiter: ';', decimal: ',', skipLines: 2, header: true })
    expect(p.dialect.skipped.map((s) => [s.line, s.text])).toEqual([
      [1, 'Sales report 2021'],
      [2, ''],
    ])
    expect(p.dialect.skipped[0].reason).toMatch(/1 field where the table below has 3/)
    expect(p.dialect.skipped[1].reason).toMatch(/blank/)
    expect(p.header).toEqual(['region', 'units', 'price'])
    expect(p.columns.map((c) => c.type)).toEqual(['categorical', 'integer', 'float'])
  })

  it('never skips a header that has the width of the rows, nor rows above a broken one', async () => {
    const p = await previewCsv(write('plain.csv', 'a,b\n1,2\n3,4\n5,"x\n'))
    expect(p.dialect.skipLines).toBe(0)
    expect(p.header).toEqual(['a', 'b'])
  })

  it('"skip first N lines" overrides the sniffed count, and bad-row lines still count from the top of the file', async () => {
    const path = write('override.csv', 'x,y\nnote\na,b\n1,2\n3\n')
    const p = await previewCsv(path, { skipLines: 2 })
    expect(p.dialect).toMatchObject({ skipLines: 2, sniffed: { skipLines: false } })
    expect(p.dialect.skipped.map((l) => [l.line, l.text, l.reason])).toEqual([
      [1, 'x,y', 'skip first 2 lines (chosen)'],
      [2, 'note', 'skip first 2 lines (chosen)'],
    ])
    expect(p.header).toEqual(['a', 'b'])
    expect(p.rows).toEqual([['1', '2']])
    expect(p.badRows.rows[0]).toMatchObject({ line: 5, reason: 'ragged' })
  })
})

describe('header shapes the field count alone cannot see', () => {
  it('a header one name short of the rows (R\'s write.csv) is the header, over a row-names column', async () => {
    const p = await previewCsv(write('rnames.csv', '"Weight","Feed"\n"1",26.5,1\n"2",27.6,NA\n"3",30.1,2\n'))
    expect(p.dialect).toMatchObject({ skipLines: 0, rowNames: true, header: true })
    expect(p.dialect.headerReason).toMatch(/one name fewer than the rows/)
    expect(p.header).toEqual(['column_1', 'Weight', 'Feed'])
    expect(p.basis.rows).toBe(3)
  })

  it('a mostly empty line of the table\'s width above the names is skipped ("506,13,,,")', async () => {
    const p = await previewCsv(write('boston.csv', '506,3,,\n"CRIM","ZN","INDUS","MEDV"\n0.1,18,2.3,24\n0.2,0,7.1,21.6\n0.3,0,7.1,34.7\n'))
    expect(p.dialect.skipLines).toBe(1)
    expect(p.dialect.skipped).toEqual([{ line: 1, text: '506,3,,', reason: 'mostly empty (2 of 4 fields) above the header' }])
    expect(p.header).toEqual(['CRIM', 'ZN', 'INDUS', 'MEDV'])
    expect(p.columns.map((c) => c.type)).toEqual(['float', 'integer', 'float', 'float'])
  })

  it('reads a space-separated table of numbers, but keeps a column of names with spaces whole', async () => {
    const t = await previewCsv(write('linnerud.csv', 'Chins Situps Jumps\n5 162 60\n2 110 60\n12 101 101\n'))
    expect(t.dialect.delimiter).toBe(' ')
    expect(t.header).toEqual(['Chins', 'Situps', 'Jumps'])
    const names = await previewCsv(write('cities.csv', 'city\nNew York\nLos Angeles\nSan Diego\n'))
    expect(names.columns).toHaveLength(1)
  })
})

describe('header by column types', () => {
  it('"150,4,setosa,versicolor,virginica" above numeric rows is a header: text above numbers, named in the reason', async () => {
    const rnd = numbers(2)
    const lines = ['150,4,setosa,versicolor,virginica']
    for (let i = 0; i < 150; i++) lines.push([...Array.from({ length: 4 }, () => (rnd() * 8).toFixed(1)), String(i % 3)].join(','))
    const p = await previewCsv(write('iris.csv', lines.join('\n') + '\n'))
    expect(p.dialect.header).toBe(true)
    expect(p.dialect.headerReason).toBe('"setosa" in column 3 is text above numbers')
    expect(p.header).toEqual(['150', '4', 'setosa', 'versicolor', 'virginica'])
    expect(p.columns.map((c) => c.type)).toEqual(['float', 'float', 'float', 'float', 'integer'])
    expect(p.basis.rows).toBe(150)
  })

  it('numbers above dates make a header; a first row that fits every type is data, and says so', async () => {
    const h = await previewCsv(write('years.csv', '2020,2021\n2021-01-01,2021-02-01\n2021-01-02,2021-02-02\n'))
    expect(h.dialect.header).toBe(true)
    expect(h.dialect.headerReason).toBe('"2020" in column 1 is a number above dates')
    const d = await previewCsv(write('data.csv', '1,2.5\n2,3.5\n3,4.5\n'))
    expect(d.dialect.header).toBe(false)
    expect(d.dialect.headerReason).toMatch(/fits the types below/)
  })

  it('the header checkbox overrides the sniffer and the reason keeps what it said', async () => {
    const p = await previewCsv(write('forced.csv', 'a,b\n1,2\n'), { header: false })
    expect(p.dialect.header).toBe(false)
    expect(p.dialect.headerReason).toMatch(/^chosen \(the sniffer says: header/)
    expect(p.rows[0]).toEqual(['a', 'b'])
  })
})

describe('comment lines', () => {
  it('leaves out "#" lines anywhere (header above or below them) and counts them', async () => {
    const p = await previewCsv(write('comments.csv', '# exported by a tool\n# units: cm\na,b\n1,2\n# a note in the middle\n3,4\n'))
    expect(p.dialect.comment).toBe('#')
    expect(p.dialect.commentLines).toBe(3)
    expect(p.header).toEqual(['a', 'b'])
    expect(p.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ])
    expect(p.badRows.total).toBe(0)
  })

  it('keeps "#" lines that have the table\'s width ("#id" headers, "#ff0000" cells)', async () => {
    const p = await previewCsv(write('hash.csv', '#id,color\n1,red\n#2,#ff0000\n3,blue\n'))
    expect(p.dialect.comment).toBe('')
    expect(p.header).toEqual(['#id', 'color'])
    expect(p.rows).toHaveLength(3)
  })

  it('the comment character is configurable, and "" turns comments off', async () => {
    const path = write('semi.csv', '% comment\na,b\n1,2\n')
    const p = await previewCsv(path, { comment: '%', skipLines: 0 })
    expect(p.header).toEqual(['a', 'b'])
    const off = await previewCsv(write('off.csv', 'a,b\n# x,y\n1,2\n'), { comment: '' })
    expect(off.rows).toEqual([
      ['# x', 'y'],
      ['1', '2'],
    ])
  })

  it('a bad row after comment lines is reported on its own line', async () => {
    const p = await previewCsv(write('cline.csv', 'a,b\n# one\n# two\n1\n2,3\n'))
    expect(p.badRows.rows[0]).toMatchObject({ line: 4, reason: 'ragged' })
  })
})

describe('missing tokens', () => {
  it('reads NA, N/A, null, - and ? as missing in a numeric column', async () => {
    const p = await previewCsv(write('missing.csv', 'x,y\n1,a\nNA,b\nN/A,c\nnull,d\n-,e\n?,f\n7,g\n'))
    const x = p.columns[0]
    expect(x.type).toBe('integer')
    expect(x.stats.missing).toBe(5)
    expect(x.stats.count).toBe(2)
  })
})

describe('thousands separators, percent and currency', () => {
  it('parses "1,234.5", "1.234,5" and "1 234,5" under their formats', () => {
    expect(numericCell('1,234.5', cellFormat({ decimal: '.', thousands: ',' }))).toBe(1234.5)
    expect(numericCell('1.234,5', cellFormat({ decimal: ',', thousands: '.' }))).toBe(1234.5)
    expect(numericCell('1 234,5', cellFormat({ decimal: ',', thousands: ' ' }))).toBe(1234.5)
    expect(numericCell('1\u00a0234\u00a0567', cellFormat({ decimal: ',', thousands: ' ' }))).toBe(1234567)
    // Groups must be of three; without a thousands separator "1,234" is not a number in a '.' file.
    expect(numericCell('12,34.5', cellFormat({ decimal: '.', thousands: ',' }))).toBeNaN()
    expect(numericCell('1,234', cellFormat({ decimal: '.' }))).toBeNaN()
    expect(numericKind('1,234', cellFormat({ decimal: '.', thousands: ',' }))).toBe(INTEGER)
  })

  it('drops a percent sign or a currency symbol and keeps the number as written', () => {
    const f = cellFormat({ decimal: '.', thousands: ',' })
    expect(numericCell('45%', f)).toBe(45)
    expect(numericCell('12.5 %', f)).toBe(12.5)
    expect(numericCell('$1,200', f)).toBe(1200)
    expect(numericCell('-$5.25', f)).toBe(-5.25)
    expect(numericCell('12 €', f)).toBe(12)
    expect(numericKind('£3.50', f)).toBe(FLOAT)
    expect(numericCell('$', f)).toBeNaN()
    expect(numericCell('%', f)).toBeNaN()
    expect(numericCell('abc%', f)).toBeNaN()
  })

  it('sniffs each format from a file and types the columns as numbers', async () => {
    const us = await previewCsv(write('us.csv', 'item,price,share\na,"1,234.50",45%\nb,"$2,000.00",12.5%\nc,"999.99",3%\n'))
    expect(us.dialect).toMatchObject({ decimal: '.', thousands: ',' })
    expect(us.columns.map((c) => c.type)).toEqual(['id', 'float', 'float'])
    expect(us.columns[1].stats.max).toBe(2000)
    const de = await previewCsv(write('de.csv', 'item;price\na;1.234,5\nb;2.000,25\nc;3,5\n'))
    expect(de.dialect).toMatchObject({ delimiter: ';', decimal: ',', thousands: '.' })
    expect(de.columns[1]).toMatchObject({ type: 'float', stats: { min: 3.5, max: 2000.25 } })
    const fr = await previewCsv(write('fr.csv', 'item;price\na;1 234,5\nb;12 000\nc;7,25\n'))
    expect(fr.dialect).toMatchObject({ delimiter: ';', decimal: ',', thousands: ' ' })
    expect(fr.columns[1]).toMatchObject({ type: 'float', stats: { min: 7.25, max: 12000 } })
  })

  it('the thousands separator can be overridden; one equal to the decimal is refused with the reason', async () => {
    const path = write('th.csv', 'a;b\n1.234;x\n2.5;y\n')
    const p = await previewCsv(path, { thousands: '' })
    expect(p.dialect.thousands).toBe('')
    await expectAppError(previewCsv(path, { decimal: ',', thousands: ',' }), 'invalid_input', 'th.csv', 'cannot be both the thousands and the decimal separator')
  })
})

describe('day-first and month-first dates', () => {
  it('reads "31/01/2021" as day-first and says which value decided', async () => {
    const p = await previewCsv(write('dmy.csv', 'when,x\n05/01/2021,1\n31/01/2021,2\n01/02/2021,3\n'))
    expect(p.dialect.dateOrder).toBe('dmy')
    expect(p.dialect.dateOrderReason).toBe('day-first: "31/01/2021" has a first part above 12')
    expect(p.columns[0].type).toBe('date')
    expect(p.columns[0].stats.minText).toBe('2021-01-05')
    expect(p.columns[0].stats.maxText).toBe('2021-02-01')
  })

  it('reads "01/31/2021" as month-first', async () => {
    const p = await previewCsv(write('mdy.csv', 'when,x\n01/05/2021,1\n01/31/2021,2\n'))
    expect(p.dialect.dateOrder).toBe('mdy')
    expect(p.columns[0].stats.minText).toBe('2021-01-05')
  })

  it('says when every date fits both orders, reads month-first, and the order can be changed', async () => {
    const path = write('amb.csv', 'when,x\n03/04/2021,1\n05/06/2021,2\n')
    const p = await previewCsv(path)
    expect(p.dialect.dateOrderReason).toMatch(/^ambiguous: all 2 date\(s\) like "03\/04\/2021" fit both/)
    expect(p.columns[0].stats.minText).toBe('2021-03-04')
    const d = await previewCsv(path, { dateOrder: 'dmy' })
    expect(d.columns[0].stats.minText).toBe('2021-04-03')
  })

  it('parses dotted dates with a time, and refuses impossible days', () => {
    const dmy = cellFormat({ decimal: '.', dateOrder: 'dmy' })
    expect(dateValue('31.12.2020 12:00', dmy)).toBe(dateValue('2020-12-31T12:00Z'))
    expect(dateValue('31/02/2021', dmy)).toBeNaN()
    expect(dateValue('03/04/2021', 0)).toBeNaN()
  })
})

describe('a failed import leaves the database as it was', () => {
  it('refuses a file whose rows disagree after the sniffed skip, writing nothing', async () => {
    const db = tempStore()
    const before = tableCounts(db)
    const path = write('broken.csv', 'a,b\n1,2\n3\n')
    await expectAppError(importCsv(db, path), 'invalid_input', 'broken.csv', 'line 3')
    expect(tableCounts(db)).toEqual(before)
  })
})
