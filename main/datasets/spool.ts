import { closeSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** The folder for an import's temporary files: next to the database file, or the system's temp folder. */
export function spoolFolder(db: { name: string; memory: boolean }): string {
  return db.memory ? tmpdir() : dirname(db.name)
}

/** Prefix of an import's temporary folder (see ChunkSpool.spill). */
const SPOOL_PREFIX = '.nw-import-'

/**
 * Removes the temporary folders of imports that were killed midway (their data never reached the
 * database, which an import writes in one final transaction). Call at start-up, under the
 * data-folder lock, so no live import's spool is touched. Returns the names removed.
 */
export function removeLeftoverImportFiles(dataDir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dataDir).filter((n) => n.startsWith(SPOOL_PREFIX))
  } catch {
    return []
  }
  for (const n of names) rmSync(join(dataDir, n), { recursive: true, force: true })
  return names
}

/** One encoded chunk waiting to be written. */
export interface SpooledChunk {
  seq: number
  rowStart: number
  rows: number
  data: Buffer
}

interface Entry {
  rowStart: number
  rows: number
  offset: number
  length: number
  data: Buffer | null
}

/**
 * Holds encoded chunks until the import commits. Small imports stay in memory; past
 * `memoryLimit` bytes everything goes to a temporary file, so a big import keeps bounded memory
 * and the database write lock is taken only for the short final transaction (other writers,
 * such as a training run's metrics, are not blocked for the whole import).
 */
export class ChunkSpool {
  private readonly entries: Entry[] = []
  private memBytes = 0
  private dir: string | null = null
  private fd = -1
  private fileBytes = 0
  /** Total bytes of all chunks. */
  bytes = 0
  /** Total rows of all chunks. */
  rows = 0

  constructor(
    /** Folder for the temporary file: the database's own folder keeps it on a disk with room for the data. */
    private readonly tempParent = tmpdir(),
    private readonly memoryLimit = 16 << 20,
  ) {}

  /** Adds the next chunk (synchronous: a spill writes a few MiB at most, and this runs between parser steps). */
  add(rows: number, data: Buffer): void {
    const e: Entry = { rowStart: this.rows, rows, offset: 0, length: data.length, data }
    this.entries.push(e)
    this.rows += rows
    this.bytes += data.length
    this.memBytes += data.length
    if (this.memBytes > this.memoryLimit || this.fd >= 0) this.spill()
  }

  private spill(): void {
    if (this.fd < 0) {
      this.dir = mkdtempSync(join(this.tempParent, SPOOL_PREFIX))
      this.fd = openSync(join(this.dir, 'chunks.bin'), 'w+')
    }
    for (const e of this.entries) {
      if (!e.data) continue
      e.offset = this.fileBytes
      writeSync(this.fd, e.data, 0, e.data.length, e.offset)
      this.fileBytes += e.data.length
      e.data = null
    }
    this.memBytes = 0
  }

  /**
   * The chunks in order, read back synchronously (for use inside one SQLite transaction). With
   * `reuse`, chunks read from the file share one buffer: each is valid only until the next.
   */
  *chunks(reuse = false): Generator<SpooledChunk> {
    let fd = -1
    let shared: Buffer | null = null
    try {
      for (let seq = 0; seq < this.entries.length; seq++) {
        const e = this.entries[seq]
        let data = e.data
        if (!data) {
          if (fd < 0) fd = openSync(join(this.dir as string, 'chunks.bin'), 'r')
          if (!reuse) data = Buffer.allocUnsafe(e.length)
          else {
            // Its own memory (not the pool): 4-byte aligned, as the readers' typed views need.
            if (!shared || shared.length < e.length) shared = Buffer.allocUnsafeSlow(e.length)
            data = shared.subarray(0, e.length)
          }
          readSync(fd, data, 0, e.length, e.offset)
        }
        yield { seq, rowStart: e.rowStart, rows: e.rows, data }
      }
    } finally {
      if (fd >= 0) closeSync(fd)
    }
  }

  /** Removes the temporary file, if any. Safe to call twice. */
  dispose(): void {
    if (this.fd >= 0) closeSync(this.fd)
    this.fd = -1
    if (this.dir) rmSync(this.dir, { recursive: true, force: true })
    this.dir = null
    this.entries.length = 0
  }
}
