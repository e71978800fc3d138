import { tabularRowsPerChunk } from '../chunks/format'
import type { ByteCells } from './byteRows'
import { checkOverrides, cleanHeader, defaultHeader } from './columns'
import type { PassHandlers } from './pass'
import { ColumnProfile, type LineSource } from './profile'
import type { ReadOptions } from './profilePass'
import { packProvisional } from './provisional'

/** Files with more columns than this are profiled column by column (see ProfileSink). */
const COLUMN_MAJOR_FROM = 64

/**
 * Takes the rows of (a part of) a file: profiles every column and packs the rows into provisional
 * chunks handed to `emit`. Narrow files are profiled row by row as rows arrive (the row strings
 * die young, which the garbage collector likes). Wide ones keep a chunk of rows as text and
 * profile it one column at a time, so each profile's state stays in cache instead of thousands
 * being touched per row.
 */
export class ProfileSink {
  names: string[] | null = null
  profiles: ColumnProfile[] = []
  chunkRows = 0
  rows = 0
  readonly firstRows: string[][] = []
  private i = 0
  private columnMajor = false
  private pending: string[][] = []
  private readonly lines = { at: new Int32Array(0), lineOf(row: number): number { return this.at[row] } }
  private current: LineSource = { lineOf: () => 0 }

  constructor(
    private readonly path: string,
    private readonly fmt: number,
    private readonly o: Pick<ReadOptions, 'overrides' | 'keepText' | 'keepRows' | 'maxRows'>,
    private readonly emit: (rows: number, packed: Buffer) => void,
    /** A later part of a split read (see ColumnProfile's laterPart). */
    private readonly laterPart = false,
  ) {}

  /** Sets the column names (the header, or generated ones for a headerless file). */
  start(header: string[]): void {
    this.names = header
    const R = (this.chunkRows = tabularRowsPerChunk(header.length))
    checkOverrides(this.path, header, this.o.overrides)
    this.profiles = header.map((n) => new ColumnProfile(n, this.fmt, this.o.overrides[n], R, this.o.keepText?.has(n) ?? false, this.laterPart))
    this.columnMajor = header.length > COLUMN_MAJOR_FROM
    this.pending = this.columnMajor ? new Array<string[]>(R) : []
    this.lines.at = new Int32Array(this.columnMajor ? R : 0)
  }

  /** The pass handlers that feed this sink. */
  handlers(): Required<PassHandlers> {
    return {
      header: (f) => this.start(cleanHeader(f)),
      begin: (lineOf) => {
        // Row by row, the row being handed over is the current one: its line is the reader's.
        this.current = { lineOf: () => lineOf() }
      },
      row: (f, lineOf) => this.row(f, lineOf),
      rowBytes: (c, lineOf) => this.rowBytes(c, lineOf),
    }
  }

  /**
   * A row read on bytes: numbers go to the profiles straight from the bytes where they can
   * (ColumnProfile.addBytes), every other cell as its text; wide files and previews take the text row.
   */
  private rowBytes(c: ByteCells, lineOf: () => number): boolean {
    if (this.names === null) this.start(defaultHeader(c.count))
    if (this.columnMajor || this.rows < (this.o.keepRows ?? 0)) return this.row(c.texts(), lineOf)
    const i = this.i
    const { profiles, current } = this
    const { doubled, off } = c
    const n = profiles.length
    if (i === 0) {
      // Each chunk, the reader is told again what the profiles still use of each column.
      const want = c.want
      for (let j = 0; j < n && j < want.length; j++) want[j] = profiles[j].wants
    }
    for (let j = 0; j < n; j++) {
      const p = profiles[j]
      const k = off + j
      if (doubled[k] === 1) p.add(c.text(j), i, current)
      else if (!p.addBytes(c, k, i)) {
        p.add(c.text(j), i, current)
        p.learnBytes(c, k, i)
      }
    }
    this.rows++
    if (++this.i === this.chunkRows) this.flush()
    return this.o.maxRows === undefined || this.rows < this.o.maxRows
  }

  private row(f: string[], lineOf: () => number): boolean {
    if (this.names === null) this.start(defaultHeader(f.length))
    const i = this.i
    if (this.columnMajor) {
      this.pending[i] = f
      this.lines.at[i] = lineOf()
    } else {
      const profiles = this.profiles
      const current = this.current
      const n = profiles.length
      for (let j = 0; j < n; j++) profiles[j].add(f[j], i, current)
    }
    if (this.rows < (this.o.keepRows ?? 0)) this.firstRows.push(f)
    this.rows++
    if (++this.i === this.chunkRows) this.flush()
    return this.o.maxRows === undefined || this.rows < this.o.maxRows
  }

  /** Packs the rows taken since the last flush into a chunk. */
  flush(): void {
    const n = this.i
    if (n === 0) return
    if (this.columnMajor) {
      const { profiles, pending, lines } = this
      for (let j = 0; j < profiles.length; j++) {
        const p = profiles[j]
        for (let r = 0; r < n; r++) p.add(pending[r][j], r, lines)
      }
    }
    this.emit(n, packProvisional(n, this.profiles))
    this.i = 0
  }
}
