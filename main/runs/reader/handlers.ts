// The heavy reads of the runs data layer, as the read worker runs them: each takes its own
// connection and the contract's already-validated input.
import { mkdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type Database from 'better-sqlite3'
import type { RunListPage, RunsCsvExport, SeriesResult } from '../../../common/contract'
import { getSeries } from '../../store/queries/metrics'
import { listRuns } from '../../store/queries/runs'
import { exportRunsCsvToFile } from '../csvExport'
import { metricGoal } from '../../../common/runs/metricGoal'
import type { RunListQuery, SeriesX } from '../../../common/runs/types'
import type { ReadName } from './protocol'

/** The folder CSV exports are written to, beside the database. */
export function exportsFolder(dbPath: string): string {
  return join(dirname(dbPath), 'exports')
}

/** One metric of several runs, downsampled to the chart's width, with the metric's goal for best-point marks. */
export function readSeries(db: Database.Database, input: { runIds: number[]; metric: string; x: SeriesX; maxPoints: number }): SeriesResult {
  return { metric: input.metric, x: input.x, goal: metricGoal(input.metric), series: getSeries(db, input.runIds, input.metric, { x: input.x, maxPoints: input.maxPoints, mode: 'minmax' }) }
}

/** Streams the runs' full-resolution series to a CSV file in the exports folder (never one big string). */
export function exportCsv(db: Database.Database, dbPath: string, input: { runIds: number[]; metrics?: string[] }, now = new Date()): RunsCsvExport {
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-')
  const fileName = `runs-${input.runIds.length}-${stamp}-${process.pid}${Math.floor(Math.random() * 1e6)}.csv`
  const path = join(exportsFolder(dbPath), fileName)
  mkdirSync(dirname(path), { recursive: true })
  const rows = exportRunsCsvToFile(db, { runIds: input.runIds, metrics: input.metrics }, path)
  return { fileName, path, rows, bytes: statSync(path).size }
}

/** Runs one named read on a connection. */
export function runRead(db: Database.Database, dbPath: string, name: ReadName, input: unknown): RunListPage | SeriesResult | RunsCsvExport {
  switch (name) {
    case 'runs.list':
      return listRuns(db, input as RunListQuery)
    case 'runs.series':
      return readSeries(db, input as Parameters<typeof readSeries>[1])
    case 'runs.exportCsv':
      return exportCsv(db, dbPath, input as Parameters<typeof exportCsv>[2])
  }
}
