// Full-resolution metric export to CSV (RFC 4180: comma separated, CRLF line ends, fields with a
// comma, quote or line break quoted with doubled quotes). Text cells that a spreadsheet would run
// as a formula (leading =, +, -, @, tab or CR) get a leading apostrophe and quotes, as OWASP's
// "CSV Injection" page recommends. Numbers we format ourselves are written bare.
import type { Database } from 'better-sqlite3'
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { iterateSeries, listMetricNames } from '../store/queries/metrics'
import { runNames } from '../store/queries/runs'

/** The CSV header, in column order. */
export const CSV_HEADER = ['run_id', 'run', 'metric', 'step', 'epoch', 'wall_time', 'value'] as const

const FORMULA_START = /^[=+\-@\t\r]/
// ';' too: spreadsheets in locales whose list separator is ';' would otherwise split the cell there
// and could start a new cell with a formula.
const NEEDS_QUOTES = /[",;\r\n]/

/** A text cell, neutralized against formula injection and quoted per RFC 4180 where needed. */
export function csvText(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value
  return guarded !== value || NEEDS_QUOTES.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded
}

/** A number cell: shortest round-trip form; NaN, Infinity and -Infinity spelled out (pandas reads them). */
export function csvNumber(value: number): string {
  return String(value)
}

/** Which runs and metrics to export; all metrics of those runs when metrics is omitted. */
export interface CsvExportOptions {
  runIds: readonly number[]
  metrics?: readonly string[]
}

/**
 * Streams the CSV through `write` in chunks of about 64 KiB (header first) and returns the
 * number of data rows. Runs in the order given, metrics by name, rows by step.
 */
export function writeRunsCsv(db: Database, opts: CsvExportOptions, write: (chunk: string) => void): number {
  const names = runNames(db, opts.runIds)
  let buf = CSV_HEADER.join(',') + '\r\n'
  let rows = 0
  for (const runId of opts.runIds) {
    const name = names.get(runId)
    if (name === undefined) continue
    const metrics = opts.metrics ?? listMetricNames(db, [runId])
    const runCell = `${runId},${csvText(name)},`
    for (const metric of metrics) {
      const prefix = runCell + csvText(metric) + ','
      for (const p of iterateSeries(db, runId, metric)) {
        buf += `${prefix}${p.step},${p.epoch},${csvNumber(p.wallTime)},${csvNumber(p.value)}\r\n`
        rows++
        if (buf.length >= 65536) {
          write(buf)
          buf = ''
        }
      }
    }
  }
  if (buf.length > 0) write(buf)
  return rows
}

/** The whole CSV as one string (for small exports and tests). */
export function runsCsv(db: Database, opts: CsvExportOptions): string {
  const parts: string[] = []
  writeRunsCsv(db, opts, (c) => parts.push(c))
  return parts.join('')
}

/** Writes the CSV to `path` via a temporary file renamed into place, so a failed export leaves no half file. */
export function exportRunsCsvToFile(db: Database, opts: CsvExportOptions, path: string): number {
  const tmp = `${path}.partial`
  const fd = openSync(tmp, 'w')
  let rows: number
  try {
    rows = writeRunsCsv(db, opts, (chunk) => {
      writeSync(fd, chunk)
    })
  } catch (e) {
    closeSync(fd)
    rmSync(tmp, { force: true })
    throw e
  }
  closeSync(fd)
  renameSync(tmp, path)
  return rows
}
