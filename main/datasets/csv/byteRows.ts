// The CSV row reader that works on the file's bytes. It finds fields by their byte offsets (the
// delimiter, the quote and the line break are ASCII, and no byte of a multi-byte UTF-8 character
// or of a Windows-1252 character is one), and makes strings only of the fields: when a block of
// records is pure ASCII (the common case) one Latin-1 string of the block is cut with substring,
// else each field is decoded on its own. It reads well-formed records exactly as PapaParse and
// CsvRowReader do (same fields, blank lines, comment lines, header, ragged rows and line numbers);
// at the first record it cannot read that surely (a quote closed with something other than a
// delimiter or a line break after it, a quote left open at the end, a record longer than the field
// limit) it hands that record and the rest of the file to CsvRowReader, so every bad-row report
// and recovery stays the one place that knows them.
import { isAscii, isUtf8 } from 'node:buffer'
import { TextDecoder } from 'node:util'
import type { BadRow, CsvEncoding, Newline } from '../../../common/datasets/types'
import type { BadRowCollector } from './badRows'
import { decoderFor, firstInvalidUtf8 } from './encoding'
import { CsvRowReader, type RowReaderConfig, type RowSink } from './rows'
import { decodeChunk, NotUtf8 } from './source'
import { isoDateBytes, SCAN, scanPlainBytes } from '../../../common/datasets/typing'
import { SCAN_DONE, SCAN_FULL, WANT_ALL, WANT_COLUMNS, WasmCsvScanner, type FieldArrays } from './wasmScan'

/** What the byte reader needs besides the row reader's config. */
export interface ByteRowReaderConfig extends RowReaderConfig {
  encoding: CsvEncoding
  /** The encoding is only assumed to be UTF-8: a bad byte throws NotUtf8. */
  strict: boolean
  /** The decimal mark's char code for the fields' plain numbers (ByteCells.nums); '.' when absent. */
  decimal?: number
}

/**
 * Whether a dialect can be read on bytes: UTF-8 or Windows-1252 text (ASCII bytes mean ASCII
 * characters), lines ending in LF or CRLF, and an ASCII delimiter and comment prefix other than
 * the quote. Anything else is read by CsvRowReader on decoded text.
 */
export function byteReadable(d: { encoding: CsvEncoding; newline: Newline; delimiter: string; comment?: string }): boolean {
  if (d.encoding !== 'utf-8' && d.encoding !== 'windows-1252') return false
  if (d.newline !== '\n' && d.newline !== '\r\n') return false
  const c = d.delimiter.charCodeAt(0)
  if (d.delimiter.length !== 1 || c >= 128 || c === 34 || c === 10 || c === 13) return false
  const k = d.comment ?? ''
  for (let i = 0; i < k.length; i++) if (k.charCodeAt(i) >= 128 || k.charCodeAt(i) === 34) return false
  return true
}

/**
 * The fields of one record as byte ranges of `data` (quotes already stripped); text(j) makes the
 * string. Valid only during the call it is handed to.
 */
export class ByteCells {
  count = 0
  /** Index of this record's first field in starts, ends and doubled (the wasm scanner's arrays hold many records). */
  off = 0
  data: Buffer = Buffer.alloc(0)
  /** The block's Latin-1 string when it is pure ASCII (fields are substrings of it), else null. */
  str: string | null = null
  /** The block is valid UTF-8 (or not UTF-8 at all): fields decode on their own. */
  valid = true
  starts: Int32Array = new Int32Array(64)
  ends: Int32Array = new Int32Array(64)
  /** 1 where a quoted field holds doubled quotes ("" for "), which its text undoes. */
  doubled: Uint8Array = new Uint8Array(64)
  /** Per field, its plain number as typing.ts's scanPlainBytes reads it: kind 0 none, 1 integer, 2 other; nums the value. */
  kinds: Uint8Array = new Uint8Array(64)
  nums: Float64Array = new Float64Array(64)
  /** Per field: hash53Bytes of its bytes (-1 not ASCII) and 1 when it holds a space, where taken; -2 where not. */
  hashes: Float64Array = new Float64Array(64)
  spaces: Uint8Array = new Uint8Array(64)
  /** Per field: its ISO date as typing.ts's isoDateBytes reads it, NaN when none. */
  dates: Float64Array = new Float64Array(64)
  /**
   * Per column (place in the record): what the wasm scanner takes of its fields (WANT_* bits; the
   * sink says). What it does not take reads as nothing (no number, no date, hash -2), which only
   * sends that cell down the slower path.
   */
  want = new Uint8Array(WANT_COLUMNS).fill(WANT_ALL)
  /** The cells' own per-field arrays, for records the JavaScript loop reads (add()); else the wasm scanner's are in use. */
  private mine: FieldArrays = {
    fs: this.starts,
    fe: this.ends,
    fd: this.doubled,
    fkind: this.kinds,
    fnum: this.nums,
    fhash: this.hashes,
    fspace: this.spaces,
    fdate: this.dates,
  }

  constructor(
    private readonly decodeField: (data: Buffer, a: number, b: number, valid: boolean) => string,
    /** The decimal mark's char code, for the plain numbers. */
    readonly decimal: number,
  ) {}

  /** Field j's text. */
  text(j: number): string {
    const k = this.off + j
    const a = this.starts[k]
    const b = this.ends[k]
    const v = this.str !== null ? this.str.substring(a, b) : this.decodeField(this.data, a, b, this.valid)
    return this.doubled[k] === 1 ? v.replace(DOUBLED, '"') : v
  }

  /** Every field's text. */
  texts(): string[] {
    const row = new Array<string>(this.count)
    for (let j = 0; j < this.count; j++) row[j] = this.text(j)
    return row
  }

  /** Points the per-field arrays at the wasm scanner's (which hold many records: off says where this one starts), or at `a`. */
  use(a: FieldArrays): void {
    this.starts = a.fs
    this.ends = a.fe
    this.doubled = a.fd
    this.kinds = a.fkind
    this.nums = a.fnum
    this.hashes = a.fhash
    this.spaces = a.fspace
    this.dates = a.fdate
  }

  /** Points the per-field arrays at the cells' own again, for add(). */
  own(): void {
    this.use(this.mine)
    this.off = 0
  }

  /** Reads field k's plain number and date (hash not taken), after add() or when its bytes changed (a CR taken off its end). */
  renumber(k: number): void {
    const v = this.doubled[k] === 1 ? NaN : scanPlainBytes(this.data, this.starts[k], this.ends[k], this.decimal)
    this.kinds[k] = v === v ? (SCAN.integer ? 1 : 2) : 0
    this.nums[k] = v
    this.hashes[k] = -2
    this.dates[k] = this.doubled[k] === 1 ? NaN : isoDateBytes(this.data, this.starts[k], this.ends[k])
  }

  /** Appends field [a, b) to the own arrays (the grown arrays keep what was there). */
  add(a: number, b: number, doubled: boolean): void {
    const k = this.count
    if (k === this.starts.length) {
      // Twice the room, keeping what is there.
      const m = this.mine
      const grow = <T extends Int32Array | Uint8Array | Float64Array>(x: T, y: T): T => (y.set(x as ArrayLike<number>), y)
      this.mine = {
        fs: grow(m.fs, new Int32Array(k * 2)),
        fe: grow(m.fe, new Int32Array(k * 2)),
        fd: grow(m.fd, new Uint8Array(k * 2)),
        fkind: grow(m.fkind, new Uint8Array(k * 2)),
        fnum: grow(m.fnum, new Float64Array(k * 2)),
        fhash: grow(m.fhash, new Float64Array(k * 2)),
        fspace: grow(m.fspace, new Uint8Array(k * 2)),
        fdate: grow(m.fdate, new Float64Array(k * 2)),
      }
      this.use(this.mine)
    }
    this.starts[k] = a
    this.ends[k] = b
    this.doubled[k] = doubled ? 1 : 0
    this.count = k + 1
    this.renumber(k)
  }
}

/** A row sink that can take a record as byte ranges (the column profiles type numbers straight from bytes). */
export interface ByteRowSink extends RowSink {
  rowBytes?(cells: ByteCells): void
}

const EMPTY = Buffer.alloc(0)
const QUOTE = 34
const LF = 10
const CR = 13
const DOUBLED = /""/g

/** Reads CSV rows from byte chunks (see the file comment); the same surface as CsvRowReader. */
export class ByteRowReader {
  private mineRows = 0
  private mineBlank = 0
  /** The unfinished record at the end of what was pushed (a copy: pushed buffers are reused). */
  private carry: Buffer = EMPTY
  /** File offset of carry[0]. */
  private carryAt = 0
  /** Physical line (1-based) the next record starts on. */
  private line: number
  /** Physical line of the record being delivered. */
  private recLine = 1
  private expected: number
  private headerPending: boolean
  private toSkip: number
  private stopped = false
  /** Bytes of the file checked to be UTF-8 (strict reads), as a file offset. */
  private validTo = 0
  private old: CsvRowReader | null = null
  private oldDecoder: TextDecoder | null = null
  private lenient: TextDecoder | null = null
  private readonly D: number
  /** The byte that may end a record before its LF: CR for CRLF files, else none (-1). */
  private readonly CRB: number
  private readonly crlf: boolean
  private readonly comment: Buffer | null
  private readonly utf8: boolean
  private readonly cells: ByteCells
  private readonly wasm = new WasmCsvScanner()

  constructor(
    private readonly cfg: ByteRowReaderConfig,
    private readonly sink: ByteRowSink,
    private readonly bad: BadRowCollector,
  ) {
    this.D = cfg.delimiter.charCodeAt(0)
    this.crlf = cfg.newline === '\r\n'
    this.CRB = this.crlf ? CR : -1
    this.comment = cfg.comment ? Buffer.from(cfg.comment, 'latin1') : null
    this.utf8 = cfg.encoding === 'utf-8'
    this.headerPending = cfg.header
    this.toSkip = cfg.skipLines ?? 0
    this.expected = cfg.expectedFields ?? -1
    this.line = cfg.startLine ?? 1
    this.cells = new ByteCells((d, a, b, v) => this.decodeField(d, a, b, v), cfg.decimal ?? 46)
    this.cells.want = this.wasm.want
  }

  /** Data rows delivered to the sink. */
  get rows(): number {
    return this.mineRows + (this.old?.rows ?? 0)
  }

  /** Blank lines skipped. */
  get blankLines(): number {
    return this.mineBlank + (this.old?.blankLines ?? 0)
  }

  /** The physical line (1-based) the row being delivered starts on. */
  currentLine(): number {
    return this.old ? this.old.currentLine() : this.recLine
  }

  /** The physical line (1-based) that the next pushed bytes start on. */
  get nextLine(): number {
    return this.old ? this.old.nextLine : this.line
  }

  /** Stops delivering rows (a preview has enough). */
  stop(): void {
    this.stopped = true
    this.old?.stop()
  }

  /** True once stop() was called. */
  get isStopped(): boolean {
    return this.stopped
  }

  /** True when everything pushed so far ended exactly at the end of a record (see CsvRowReader.atRecordStart). */
  atRecordStart(): boolean {
    if (this.old) return this.old.atRecordStart()
    return this.carry.length === 0 && this.toSkip === 0 && !this.headerPending && !this.stopped
  }

  /**
   * Feeds the next bytes of the file; `at` is the file offset of chunk[0]. `headroom` bytes just
   * before the chunk in its ArrayBuffer may be overwritten (readBytes keeps them free): the
   * unfinished record carried over goes there, and the chunk is not copied after it.
   */
  push(chunk: Buffer, at: number, headroom = 0): void {
    if (this.stopped) return
    if (this.old) {
      this.old.push(decodeChunk(this.oldDecoder as TextDecoder, chunk, true, at))
      this.carryAt = at + chunk.length
      return
    }
    let data = chunk
    let base = at
    if (this.carry.length > 0) {
      const c = this.carry
      if (c.length <= headroom) {
        data = Buffer.from(chunk.buffer, chunk.byteOffset - c.length, c.length + chunk.length)
        c.copy(data, 0)
      } else data = Buffer.concat([c, chunk])
      base = this.carryAt
    }
    const complete = data.lastIndexOf(LF) + 1
    this.validate(data, base, complete, false)
    let from = 0
    if (this.toSkip > 0) {
      from = this.skipPreamble(data)
      if (from < 0) {
        this.carry = EMPTY
        return
      }
    }
    const rest = this.scan(data, from, complete, base, false)
    if (rest < 0) return
    this.carry = rest < data.length ? Buffer.from(data.subarray(rest)) : EMPTY
    this.carryAt = base + rest
    // An unfinished record past the field limit: CsvRowReader reports it and skips to its end.
    const limit = this.cfg.maxFieldChars + 1024
    if (this.carry.length > limit && this.charsOf(this.carry) > limit) this.fallBack(this.carry, 0, this.carryAt, false)
  }

  /** Reads the last record (files without a final line break) and closes open reports. */
  end(): void {
    if (this.stopped) return
    if (this.old) {
      const tail = decodeChunk(this.oldDecoder as TextDecoder, EMPTY, false, this.carryAt)
      if (tail.length > 0) this.old.push(tail)
      this.old.end()
      return
    }
    const data = this.carry
    this.carry = EMPTY
    this.validate(data, this.carryAt, data.length, true)
    if (data.length === 0 || this.toSkip > 0) return
    this.scan(data, 0, data.length, this.carryAt, true)
  }

  /** Throws NotUtf8 at the first byte of data[.., upTo) not yet checked that breaks UTF-8 (strict reads only). */
  private validate(data: Buffer, base: number, upTo: number, final: boolean): void {
    if (!this.cfg.strict || !this.utf8) return
    const from = Math.max(0, this.validTo - base)
    if (upTo <= from) return
    const region = data.subarray(from, upTo)
    if (!isUtf8(region)) {
      const bad = firstInvalidUtf8(region)
      // -1: only an incomplete character at the very end, which is an error only at the end of the file.
      if (bad >= 0 || final) throw new NotUtf8(base + from + (bad >= 0 ? bad : region.length))
    }
    this.validTo = base + upTo
  }

  /** Drops whole physical lines of the preamble; returns where the table starts, or -1 when the data ran out first. */
  private skipPreamble(data: Buffer): number {
    let i = 0
    while (this.toSkip > 0) {
      const n = data.indexOf(LF, i)
      if (n < 0) return -1
      this.line++
      this.toSkip--
      i = n + 1
    }
    return i
  }

  private charsOf(b: Buffer): number {
    return isAscii(b) ? b.length : this.utf8 ? b.toString('utf8').length : b.length
  }

  /** The text of data[a, b): a substring of the block's Latin-1 string when it is ASCII, else decoded. */
  private decodeField(data: Buffer, a: number, b: number, valid: boolean): string {
    if (this.utf8 && valid) return data.toString('utf8', a, b)
    if (!this.lenient) this.lenient = decoderFor(this.cfg.encoding, false)
    // Node's one-shot Windows-1252 decode is Latin-1 (0x80 is not '€'); the streaming one is right
    // and holds nothing back for a single-byte encoding. UTF-8 (bad bytes here) must not hold a tail.
    return this.lenient.decode(data.subarray(a, b), { stream: !this.utf8 })
  }

  /**
   * Reads the records of data[from, n) (n: just after the last LF, or the end of the data when
   * final). Returns where the unfinished record starts (n when none is), or -1 after handing over
   * to CsvRowReader or stopping.
   */
  private scan(data: Buffer, from: number, n: number, base: number, final: boolean): number {
    if (n <= from) return from
    const region = data.subarray(0, n)
    const str = isAscii(region.subarray(from)) ? region.toString('latin1') : null
    const valid = str !== null || !this.utf8 || this.cfg.strict || isUtf8(region.subarray(from))
    const { D, CRB, crlf, comment, cells } = this
    cells.data = data
    cells.str = str
    cells.valid = valid
    const maxChars = this.cfg.maxFieldChars
    let rec = from
    if (comment === null && rec < n) {
      rec = this.scanWasm(data, rec, n, final)
      if (rec < 0 || this.wasm.why === SCAN_DONE) return rec
      // From here on this block goes the JavaScript way (it knows comments, odd quoting and fallBack).
    }
    while (rec < n) {
      if (comment !== null && startsWith(data, rec, comment, n)) {
        // Papa leaves comment lines out without a trace; they only count as lines.
        const e = lineEnd(data, rec, n, crlf)
        if (e < 0) {
          if (!final) return rec
          return n
        }
        for (let k = rec; k < e; k++) if (data[k] === LF) this.line++
        rec = e
        continue
      }
      cells.count = 0
      let i = rec
      let lines = 0
      let end = -1
      for (;;) {
        const fs = i
        if (i < n && data[i] === QUOTE) {
          let j = i + 1
          let doubled = false
          for (;;) {
            while (j < n && data[j] !== QUOTE) {
              if (data[j] === LF) lines++
              j++
            }
            if (j >= n) {
              // Still inside the quote: more data to come, or (at the end) never closed.
              if (!final) return rec
              return this.fallBack(data, rec, base, true)
            }
            if (j + 1 < n && data[j + 1] === QUOTE) {
              doubled = true
              j += 2
              continue
            }
            break
          }
          cells.add(fs + 1, j, doubled)
          if (j + 1 >= n) {
            // Closing quote at the end of the file.
            end = n
            break
          }
          const c = data[j + 1]
          if (c === D) {
            i = j + 2
            continue
          }
          if (!crlf && c === LF) {
            end = j + 2
            lines++
            break
          }
          if (crlf && c === CR && j + 2 < n && data[j + 2] === LF) {
            end = j + 3
            lines++
            break
          }
          // Text (or spaces) after a closing quote: PapaParse's rules for that live in CsvRowReader.
          return this.fallBack(data, rec, base, final)
        }
        let c = -1
        for (;;) {
          while (i < n) {
            c = data[i]
            if (c === D || c === LF || c === CRB) break
            i++
          }
          if (i >= n) break
          if (c === LF && crlf) {
            // A lone LF in a CRLF file is part of the field (and a physical line).
            lines++
            i++
            continue
          }
          if (c === CR) {
            if (i + 1 < n && data[i + 1] === LF) break
            i++
            continue
          }
          break
        }
        if (i >= n) {
          // Only at the end of the file (before it, the data ends with an LF that ends a record).
          if (!final) return rec
          cells.add(fs, n, false)
          end = n
          break
        }
        cells.add(fs, i, false)
        if (c === D) {
          i++
          continue
        }
        end = c === LF ? i + 1 : i + 2
        lines++
        break
      }
      // A record longer than the field limit may hold a giant field: CsvRowReader judges it in characters.
      if (end - rec > maxChars) return this.fallBack(data, rec, base, final)
      this.recLine = this.line
      this.line += lines
      rec = end
      this.deliver(cells)
      if (this.stopped) return -1
    }
    return rec
  }

  /**
   * The records of data[from, n) that the wasm scanner reads (well-formed ones, which is nearly
   * all), delivered as scan's loop would. Returns where it stopped (wasm.why says why), or -1 once
   * the sink stopped.
   */
  private scanWasm(data: Buffer, from: number, n: number, final: boolean): number {
    const w = this.wasm
    const cells = this.cells
    w.load(data, n)
    // The sink writes what it wants of each column into cells.want, which is the scanner's array:
    // a load that grows the scanner's memory moves it (with its contents).
    cells.want = w.want
    let at = from
    try {
      for (;;) {
        const records = w.scan(at, n, this.D, this.crlf, final, this.cfg.maxFieldChars, cells.decimal)
        cells.use(w)
        const { rend, rlines } = w
        let k0 = 0
        for (let q = 0; q < records; q++) {
          const k1 = rend[q]
          cells.off = k0
          cells.count = k1 - k0
          k0 = k1
          this.recLine = this.line
          this.line += rlines[q]
          this.deliver(cells)
          if (this.stopped) return -1
        }
        at = w.stop
        if (w.why !== SCAN_FULL) return at
      }
    } finally {
      cells.own()
    }
  }

  /** CsvRowReader.step for a well-formed record. */
  private deliver(cells: ByteCells): void {
    const n = cells.count
    if (n === 1 && cells.text(0).trim() === '') {
      this.mineBlank++
      return
    }
    if (!this.crlf) {
      // A LF file with some CRLF lines: the CR would stick to the last field.
      const last = cells.off + n - 1
      const e = cells.ends[last]
      if (e > cells.starts[last] && cells.data[e - 1] === CR) {
        cells.ends[last] = e - 1
        cells.renumber(last)
      }
    }
    if (this.headerPending) {
      this.headerPending = false
      const row = cells.texts()
      if (this.cfg.rowNames) row.unshift('')
      this.expected = row.length
      this.sink.header(row)
      return
    }
    if (this.expected < 0) this.expected = n
    if (n !== this.expected) {
      const b: BadRow = {
        line: this.recLine,
        reason: 'ragged',
        message: `${n} field${n === 1 ? '' : 's'} where the ${this.cfg.header || this.cfg.expectedFromHeader ? 'header has' : 'first row has'} ${this.expected}`,
      }
      this.bad.add(b)
      return
    }
    this.mineRows++
    if (this.sink.rowBytes) this.sink.rowBytes(cells)
    else this.sink.row(cells.texts())
  }

  /**
   * Hands data[from, ..) and everything after it to CsvRowReader on decoded text, in the state
   * this reader is in (header read or not, fields expected, line). Returns -1 (nothing left here).
   */
  private fallBack(data: Buffer, from: number, base: number, final: boolean): number {
    const { cfg } = this
    this.old = new CsvRowReader(
      {
        ...cfg,
        header: this.headerPending,
        skipLines: 0,
        expectedFields: this.expected >= 0 ? this.expected : undefined,
        expectedFromHeader: cfg.header || cfg.expectedFromHeader,
        startLine: this.line,
      },
      this.sink,
      this.bad,
    )
    if (this.stopped) this.old.stop()
    this.oldDecoder = decoderFor(cfg.encoding, cfg.strict)
    this.carry = EMPTY
    this.carryAt = base + data.length
    const text = decodeChunk(this.oldDecoder, data.subarray(from), !final, base + from)
    if (text.length > 0) this.old.push(text)
    if (final) this.old.end()
    return -1
  }
}

function startsWith(data: Buffer, at: number, prefix: Buffer, n: number): boolean {
  if (at + prefix.length > n) return false
  for (let k = 0; k < prefix.length; k++) if (data[at + k] !== prefix[k]) return false
  return true
}

/** Index just after the line break that ends the line at `from` (LF, or CRLF in a CRLF file), or -1. */
function lineEnd(data: Buffer, from: number, n: number, crlf: boolean): number {
  for (let k = data.indexOf(LF, from); k >= 0 && k < n; k = data.indexOf(LF, k + 1)) {
    if (!crlf || (k > from && data[k - 1] === CR)) return k + 1
  }
  return -1
}
