import { describe, expect, it } from 'vitest'
import { corpusDifferences, corpusExpected } from './csvCorpus'

/**
 * Files of the real-file corpus (test/fixtures/csv/real, SOURCES.md) whose reading differs from
 * pandas' on purpose or for a known limit, and why. The test checks they still differ, so the list
 * cannot go stale: a fix has to move the file out of it.
 */
const ACCEPTED: Record<string, string> = {
  'r-cran-data.table__530_fread.txt':
    'rows have 2 fields under a 4-name header; pandas pads them with missing values, we skip the wider header line as a preamble (short rows are never padded silently)',
  'r-cran-data.table__536_fread_fill_1.txt': 'some rows are shorter than the header; pandas pads them with missing values, we report them as bad rows by line',
  'r-cran-data.table__issue_773_fread.txt': 'six rows are shorter than the header; pandas pads them with missing values, we report them as bad rows by line',
  'r-cran-data.table__quoted_no_header.csv': 'zip codes with leading zeros ("08075") stay text by our typing rule 4; pandas makes them integers and drops the zeros',
  'r-cran-data.table__unescaped.csv': 'quotes inside quoted fields are not doubled; pandas refuses the file too, and we refuse every row, naming line 2',
}

const expected = corpusExpected()
const files = Object.keys(expected).sort()

describe('real-file corpus: our reading against pandas\'', () => {
  it('holds at least 30 files', () => {
    expect(files.length).toBeGreaterThanOrEqual(30)
    for (const f of Object.keys(ACCEPTED)) expect(files, f).toContain(f)
  })

  it.each(files.filter((f) => !(f in ACCEPTED)))('%s: same rows, columns and types', async (file) => {
    expect(await corpusDifferences(file, expected[file])).toEqual([])
  })

  it.each(Object.keys(ACCEPTED))('%s: an accepted difference, still there', async (file) => {
    let diffs: string[]
    try {
      diffs = await corpusDifferences(file, expected[file])
    } catch (e) {
      diffs = [(e as Error).message]
    }
    expect(diffs.length, ACCEPTED[file]).toBeGreaterThan(0)
  })
})
