import { createHash } from 'node:crypto'
import { badInput } from '../errors'
import { ChunkSpool } from '../spool'
import type { ColumnType, CsvDialect } from '../../../common/datasets/types'
import type { BadRowPolicy } from './badRows'
import type { ResolvedDialect } from './dialect'
import { runPass, type PassConfig, type PassResult } from './pass'
import type { ColumnProfile } from './profile'
import { ProfileSink } from './profileSink'
import { readSplit, secondCoreFree, splitPoint } from './splitRead'
import { spareCoresSince, type CpuSample } from '../../system/cpuLoad'
import { NotUtf8 } from './source'
import { cellFormat } from '../../../common/datasets/typing'

/** What the single read of the file produced. */
export interface ReadOutcome {
  dialect: CsvDialect
  names: string[]
  profiles: ColumnProfile[]
  pass: PassResult
  /** sha256 of the bytes read (the whole file unless the pass was partial). */
  hash: string
  /** The rows as provisional chunks (csv/provisional.ts), in file order; the caller disposes of it. */
  spool: ProvisionalChunks
  /** The first `keepRows` rows as text (previews). */
  firstRows: string[][]
  /** Rows per chunk, chosen from the column count. */
  chunkRows: number
  /** Threads the rows were read on: 2 when the file was split (csv/splitRead.ts), else 1. */
  threads: number
  /** Where the helper thread's part began (a split read), else null. */
  cut: number | null
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
  /** Files from this size on are read in two parts on two threads (default SPLIT_FROM_BYTES, and only when a second core is free; tests set it to split regardless). */
  splitFrom?: number
  /** Read rows from decoded text (CsvRowReader) rather than bytes (tests compare the two). */
  textRows?: boolean
  /** The cores' times when the import started: whether a second core is free is judged over the time since. */
  startedCpu?: CpuSample
}

/** Provisional chunks in file order, possibly from several spools (a split read). */
export interface ProvisionalChunks {
  /** Each chunk's data is valid only until the next is read (one buffer is reused). */
  chunks(): Iterable<{ seq: number; rows: number; data: Buffer }>
  dispose(): void
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
  const spool = new ChunkSpool(o.spoolDir)
  const sink = new ProfileSink(path, cellFormat(dialect), o, (n, packed) => spool.add(n, packed))
  const cfg: PassConfig = {
    path,
    dialect,
    bomLength: resolved.bomLength,
    strict: !resolved.encodingCertain && dialect.encoding === 'utf-8',
    maxFieldChars: o.maxFieldChars,
    policy: o.policy,
    signal: o.signal,
    hash,
    fileBytes: resolved.fileBytes,
    onBytes: (b) => o.onBytes?.(b, sink.rows),
    textRows: o.textRows,
  }
  const chunks: ProvisionalChunks = { chunks: () => spool.chunks(true), dispose: () => spool.dispose() }
  let out: ProvisionalChunks = chunks
  try {
    let pass: PassResult
    let threads = 1
    let cut: number | null = null
    // A caller-given threshold (tests) splits whatever the load; by default only onto a free core.
    const split = o.maxRows === undefined && !o.keepRows && (o.splitFrom !== undefined || secondCoreFree(undefined, undefined, o.startedCpu ? spareCoresSince(o.startedCpu) : null)) ? await splitPoint(path, dialect, resolved.fileBytes, o.splitFrom) : null
    if (split === null) pass = await runPass(cfg, sink.handlers())
    else {
      const r = await readSplit(cfg, sink, split, { overrides: o.overrides, keepText: [...(o.keepText ?? [])], spoolDir: o.spoolDir }, chunks)
      pass = r.pass
      out = r.chunks
      threads = r.threads
      cut = r.cut
    }
    sink.flush()
    const { names, profiles } = sink
    if (names === null) throw badInput(path, 'has no rows (only blank lines)')
    if (pass.rows === 0 && pass.badRows.total === 0) throw badInput(path, dialect.header ? 'has a header but no data rows' : 'has no data rows')
    if (pass.rows === 0) {
      const first = pass.badRows.rows[0]
      throw badInput(path, `every data row is bad (${pass.badRows.total}); the first, line ${first?.line}: ${first?.message}`)
    }
    for (const p of profiles) p.finish()
    return { dialect, names, profiles, pass, hash: hash.digest('hex'), spool: out, firstRows: sink.firstRows, chunkRows: sink.chunkRows, threads, cut }
  } catch (e) {
    out.dispose()
    throw e
  }
}
