import { createHash } from 'node:crypto'
import { tabularRowsPerChunk } from '../chunks/format'
import { badInput } from '../errors'
import { ChunkSpool } from '../spool'
import type { ColumnType, CsvDialect } from '../../../common/datasets/types'
import type { BadRowPolicy } from './badRows'
import { checkOverrides, cleanHeader, defaultHeader } from './columns'
import type { ResolvedDialect } from './dialect'
import { runPass, type PassResult } from './pass'
import { ColumnProfile, type LineSource } from './profile'
import { packProvisional } from './provisional'
import { NotUtf8 } from './source'
import { cellFormat } from '../../../common/datasets/typing'

/** Files with more columns than this are profiled column by column (see readOnce). */
const COLUMN_MAJOR_FROM = 64

/** What the single read of the file produced. */
export interface ReadOutcome {
  dialect: CsvDialect
  names: string[]
  profiles: ColumnProfile[]
  pass: PassResult
  /** sha256 of the bytes read (the whole file unless the pass was partial). */
  hash: string
  /** The rows as provisional chunks (csv/provisional.ts); the caller disposes of it. */
  spool: ChunkSpool
  /** The first `keepRows` rows as text (previews). */
  firstRows: string[][]
  /** Rows per chunk, chosen from the column count. */
  chunkRows: number
}

/** Options of the read. */
export interface ReadOptions {
  maxFieldChars: number
  policy: BadRowPolicy
  overrides: Readonly<Record<string, ColumnType>>
  signal?: AbortSignal
  /** Stop after this many data rows (previews). */
  maxRows?: number
  /** Rows to keep as text for display. */
  keepRows?: number
  onBytes?: (bytesRead: number, rows: number) => void
  /** Columns whose text to keep when it cannot be recovered otherwise (the recipe tokenizes them). */
  keepText?: ReadonlySet<string>
  /** Folder for the temporary spool file (default: the system's temp folder). */
  spoolDir?: string
}

/**
 * Reads the CSV once: rows are profiled column by column and stored provisionally in chunks
 * (spooled to a temporary file past 16 MiB), and the bytes are fingerprinted. A file assumed to
 * be UTF-8 that turns out not to be is read again as Windows-1252, and the dialect says so.
 */
export async function readCsv(path: string, resolved: ResolvedDialect, o: ReadOptions): Promise<ReadOutcome> {
  let dialect = resolved.dialect
  for (;;) {
    try {
      return await readOnce(path, resolved, dialect, o)
    } catch (e) {
      if (!(e instanceof NotUtf8) || dialect.encoding !== 'utf-8' || resolved.encodingCertain) throw e
      dialect = { ...dialect, encoding: 'windows-1252', encodingReason: `not valid UTF-8 (byte ${e.byteOffset}); read as Windows-1252 (Latin-1)` }
    }
  }
}

async function readOnce(path: string, resolved: ResolvedDialect, dialect: CsvDialect, o: ReadOptions): Promise<ReadOutcome> {
  const hash = createHash('sha256')
  const fmt = cellFormat(dialect)
  let R = 0
  const spool = new ChunkSpool(o.spoolDir)
  const firstRows: string[][] = []
  const keep = o.keepRows ?? 0
  let names: string[] | null = null
  let profiles: ColumnProfile[] = []
  const start = (header: string[]): void => {
    names = header
    R = tabularRowsPerChunk(header.length)
    checkOverrides(path, header, o.overrides)
    profiles = header.map((n) => new ColumnProfile(n, fmt, o.overrides[n], R, o.keepText?.has(n) ?? false))
    columnMajor = header.length > COLUMN_MAJOR_FROM
    pending = columnMajor ? new Array<string[]>(R) : []
    lines.at = new Int32Array(columnMajor ? R : 0)
  }
  let rows = 0
  let i = 0
  // Narrow files are profiled row by row as rows arrive (the row strings die young, which the
  // garbage collector likes). Wide ones keep a chunk of rows as text and profile it one column at
  // a time, so each profile's state stays in cache instead of thousands being touched per row.
  let columnMajor = false
  let pending: string[][] = []
  const lines = { at: new Int32Array(0), lineOf(row: number): number { return this.at[row] } }
  let current: LineSource = { lineOf: () => 0 }
  const flush = (): void => {
    if (columnMajor) {
      const n = profiles.length
      for (let j = 0; j < n; j++) {
        const p = profiles[j]
        for (let r = 0; r < i; r++) p.add(pending[r][j], r, lines)
      }
    }
    spool.add(i, packProvisional(i, profiles))
    i = 0
  }
  try {
    const pass = await runPass(
      {
        path,
        dialect,
        bomLength: resolved.bomLength,
        strict: !resolved.encodingCertain && dialect.encoding === 'utf-8',
        maxFieldChars: o.maxFieldChars,
        policy: o.policy,
        signal: o.signal,
        hash,
        fileBytes: resolved.fileBytes,
        onBytes: (b) => o.onBytes?.(b, rows),
      },
      {
        header: (f) => start(cleanHeader(f)),
        begin: (lineOf) => {
          // Row by row, the row being handed over is the current one: its line is the reader's.
          current = { lineOf: () => lineOf() }
        },
        row: (f, lineOf) => {
          if (names === null) start(defaultHeader(f.length))
          if (columnMajor) {
            pending[i] = f
            lines.at[i] = lineOf()
          } else {
            const n = profiles.length
            for (let j = 0; j < n; j++) profiles[j].add(f[j], i, current)
          }
          if (rows < keep) firstRows.push(f)
          rows++
          if (++i === R) flush()
          return o.maxRows === undefined || rows < o.maxRows
        },
      },
    )
    if (i > 0) flush()
    if (names === null) throw badInput(path, 'has no rows (only blank lines)')
    if (pass.rows === 0 && pass.badRows.total === 0) throw badInput(path, dialect.header ? 'has a header but no data rows' : 'has no data rows')
    if (pass.rows === 0) {
      const first = pass.badRows.rows[0]
      throw badInput(path, `every data row is bad (${pass.badRows.total}); the first, line ${first?.line}: ${first?.message}`)
    }
    for (const p of profiles) p.finish()
    return { dialect, names, profiles, pass, hash: hash.digest('hex'), spool, firstRows, chunkRows: R }
  } catch (e) {
    spool.dispose()
    throw e
  }
}
