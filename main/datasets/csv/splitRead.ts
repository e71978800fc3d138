// A CSV read split across two threads. The file is cut at a line break; this thread reads the
// first part and a helper thread the second, both with the same row reader and column profiles.
// The helper takes a while to start (its code loads), so the cut is set when it says it is ready:
// halfway through what this thread has not read yet, so both parts end about together; if this
// thread reaches the file's middle first, the cut is the first line break after the middle. Whether the cut is a record boundary (not a line break inside a quoted
// field) cannot be told from the bytes near it, but it is proved by the first part's own parse:
// when that parse ends exactly at the cut with no record open (CsvRowReader.atRecordStart, which
// follows the quote parity of everything before), the second part started where a record starts
// and its rows are the file's. Otherwise the helper's work is thrown away and this thread reads on
// from the cut, which is exactly the single-thread read.
import { closeSync, openSync, readSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { availableParallelism, loadavg } from 'node:os'
import { BAD_ROW_LIST_LIMIT, type BadRowReport, type ColumnType, type CsvDialect } from '../../../common/datasets/types'
import { throwIfAborted } from '../errors'
import { ChunkSpool } from '../spool'
import { BadRowCollector } from './badRows'
import { CsvPass } from './csvPass'
import { takeCsvPartHelper } from './partHelperPool'
import type { PassConfig, PassResult } from './pass'
import type { CsvPartMessage, CsvPartRequest } from './partWorker'
import type { ProvisionalChunks } from './profilePass'
import type { ProfileSink } from './profileSink'
import { remapCodes } from './provisional'
import { NotUtf8, READ_CHUNK_BYTES } from './source'

/** Files from this size on are read in two parts (below it a helper thread's start costs more than it saves). */
export const SPLIT_FROM_BYTES = 8 << 20

/**
 * Whether a second core is free for the helper thread: at least half a core left over while this
 * import started (`spareCores`: all cores less this import's thread and what other programs used,
 * measured over its first steps), or when that was too short to measure, on average over the last
 * minute (the run queue's load counts this import's own thread). On a machine busy with other
 * work the helper would only take time from it. The minute's load alone would also count work
 * that has just ended (another program that was busy until a moment ago) and refuse a free core.
 */
export function secondCoreFree(cores = availableParallelism(), load1 = loadavg()[0], spareCores: number | null = null): boolean {
  if (cores < 2) return false
  return spareCores !== null ? spareCores >= 0.5 : cores - load1 >= 0.5
}

/**
 * Where to cut the file: just after the first line break past its middle, or null when it is
 * read in one part (small, compressed, not CSV, a multi-byte encoding whose bytes can hide a line
 * break, lines ending in a lone CR, or one core).
 */
export async function splitPoint(path: string, d: CsvDialect, fileBytes: number, splitFrom = SPLIT_FROM_BYTES): Promise<number | null> {
  if (d.format !== 'csv' || d.compression !== null || fileBytes < splitFrom || d.newline === '\r') return null
  if (d.encoding !== 'utf-8' && d.encoding !== 'windows-1252') return null
  if (availableParallelism() < 2) return null
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.allocUnsafe(64 << 10)
    for (let pos = Math.floor(fileBytes / 2); pos < fileBytes; pos += buf.length) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos)
      if (bytesRead === 0) return null
      const nl = buf.subarray(0, bytesRead).indexOf(10)
      if (nl >= 0) return pos + nl + 1 < fileBytes ? pos + nl + 1 : null
    }
    return null
  } finally {
    await fh.close()
  }
}

/**
 * The cut once the helper is ready with this thread at byte `read`: the first line break past
 * just under halfway through the rest (this thread also hashes the later part while the helper
 * reads it), and never before the read in flight ends. `at` (past the middle) when the rest is too
 * short to balance or has no line break.
 */
export function balancedCut(path: string, read: number, at: number, fileBytes: number): number {
  const from = Math.max(read + READ_CHUNK_BYTES, Math.floor(read + (fileBytes - read) * 0.48))
  if (read >= at || from >= fileBytes) return at
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.allocUnsafe(64 << 10)
    for (let pos = from; pos < fileBytes; pos += buf.length) {
      const n = readSync(fd, buf, 0, buf.length, pos)
      if (n === 0) break
      const nl = buf.subarray(0, n).indexOf(10)
      if (nl >= 0) return pos + nl + 1 < fileBytes ? pos + nl + 1 : at
    }
    return at
  } finally {
    closeSync(fd)
  }
}

/** What the later part needs besides the pass config. */
export interface SplitExtras {
  overrides: Record<string, ColumnType>
  keepText: string[]
  spoolDir?: string
}

/**
 * Reads the file in two parts (see the file comment) into `sink`, whose own chunks are `first`.
 * Returns the merged pass result and the chunks of both parts in file order; the later part's
 * category codes are rewritten to the merged slots as they are read back.
 */
export async function readSplit(cfg: PassConfig, sink: ProfileSink, at: number, x: SplitExtras, first: ProvisionalChunks): Promise<{ pass: PassResult; chunks: ProvisionalChunks; threads: number; cut: number | null }> {
  const taken = takeCsvPartHelper()
  const worker = taken.worker
  const later = new ChunkSpool(x.spoolDir)
  let firstBytes = 0
  let laterBytes = 0
  const onBytes = (): void => cfg.onBytes?.(firstBytes + laterBytes)
  let settle: (m: CsvPartMessage) => void = () => {}
  const outcome = new Promise<CsvPartMessage>((resolve) => (settle = resolve))
  // The cut: `at` (after the middle) until the helper is ready while this thread is still before it.
  let cut = at
  // A standby helper (partHelperPool) has loaded already.
  let ready = taken.ready
  // The helper starts once the column names are known (the header, or the first row) and it is
  // ready, or once this thread reaches `at`, whichever comes first.
  let posted = false
  const go = (atCut = false): void => {
    if (posted || sink.names === null || !(ready || atCut)) return
    if (!atCut) cut = balancedCut(cfg.path, firstBytes, at, cfg.fileBytes)
    posted = true
    const req: CsvPartRequest = {
      type: 'csvPart',
      path: cfg.path,
      start: cut,
      fileBytes: cfg.fileBytes,
      dialect: cfg.dialect,
      strict: cfg.strict,
      textRows: cfg.textRows,
      maxFieldChars: cfg.maxFieldChars,
      policy: cfg.policy,
      overrides: x.overrides,
      keepText: x.keepText,
      names: sink.names,
    }
    worker.postMessage(req)
  }
  worker.on('message', (m: CsvPartMessage) => {
    if (m.type === 'hello') {
      ready = true
      go()
    } else if (m.type === 'chunk') later.add(m.rows, Buffer.from(m.data))
    else if (m.type === 'progress') {
      laterBytes = m.bytes
      onBytes()
    } else settle(m)
  })
  worker.on('error', (e) => settle({ type: 'error', message: e.message }))
  worker.on('exit', () => settle({ type: 'error', message: 'the helper thread stopped' }))
  const stop = (): void => {
    void worker.terminate()
    later.dispose()
  }
  if (!ready) worker.postMessage({ type: 'hello' })
  try {
    const h = sink.handlers()
    const pass = new CsvPass(
      {
        ...cfg,
        onBytes: (b) => {
          firstBytes = b
          onBytes()
        },
      },
      {
        begin: h.begin,
        header: (f) => {
          h.header(f)
          go()
        },
        row: (f, lineOf) => {
          const more = h.row(f, lineOf)
          go()
          return more
        },
        // Without this the first part would take every row as text (the slower path).
        rowBytes: (c, lineOf) => {
          const more = h.rowBytes(c, lineOf)
          go()
          return more
        },
      },
    )
    await pass.read(0, () => cut)
    go(true)
    if (!posted || !pass.atRecordStart()) {
      // The cut fell inside a quoted field (or the table had not started): read on from it here.
      stop()
      await pass.read(cut)
      return { pass: pass.finish(), chunks: first, threads: 1, cut: null }
    }
    const lineOffset = pass.nextLine - 1
    const mine = pass.finish()
    sink.flush()
    // The fingerprint covers the later part too: one sequential read of it, while the helper parses.
    hashRange(cfg, cut)
    const m = await waitFor(outcome, cfg)
    if (m.type === 'notUtf8') throw new NotUtf8(m.byteOffset)
    if (m.type === 'badRow') new BadRowCollector(cfg.path, 'abort').add({ ...m.row, line: m.row.line + lineOffset })
    if (m.type === 'error') throw new Error(`${cfg.path}: reading its second half failed: ${m.message}`)
    if (m.type !== 'done') throw new Error(`${cfg.path}: unexpected helper message ${m.type}`)
    const remaps = sink.profiles.map((p, j) => p.mergeLater(m.states[j], lineOffset))
    sink.rows += m.rows
    void worker.terminate()
    const badRows: BadRowReport = { total: mine.badRows.total + m.badRows.total, rows: [...mine.badRows.rows] }
    for (const b of m.badRows.rows) if (badRows.rows.length < BAD_ROW_LIST_LIMIT) badRows.rows.push({ ...b, line: b.line + lineOffset })
    const pass2: PassResult = { rows: mine.rows + m.rows, blankLines: mine.blankLines + m.blankLines, badRows, bytesRead: cfg.fileBytes, partial: false }
    const chunks: ProvisionalChunks = {
      *chunks() {
        let seq = 0
        for (const c of first.chunks()) yield { seq: seq++, rows: c.rows, data: c.data }
        for (const c of later.chunks(true)) yield { seq: seq++, rows: c.rows, data: remapCodes(c.data, remaps) }
      },
      dispose() {
        first.dispose()
        later.dispose()
      },
    }
    return { pass: pass2, chunks, threads: 2, cut }
  } catch (e) {
    stop()
    throw e
  }
}

/** Resolves with the helper's last message, or throws when the import is cancelled meanwhile. */
async function waitFor(outcome: Promise<CsvPartMessage>, cfg: PassConfig): Promise<CsvPartMessage> {
  const signal = cfg.signal
  if (!signal) return outcome
  throwIfAborted(signal, cfg.path)
  let onAbort = (): void => {}
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      try {
        throwIfAborted(signal, cfg.path)
      } catch (e) {
        reject(e)
      }
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([outcome, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

/** Feeds bytes [from, end) of the file to the pass's hash, in order. */
function hashRange(cfg: PassConfig, from: number): void {
  if (!cfg.hash) return
  const fd = openSync(cfg.path, 'r')
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES)
    for (let pos = from; ; ) {
      const n = readSync(fd, buf, 0, buf.length, pos)
      if (n === 0) break
      cfg.hash.update(buf.subarray(0, n))
      pos += n
    }
  } finally {
    closeSync(fd)
  }
}

