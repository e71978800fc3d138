import { POW10 } from '../../../common/datasets/typing'
import { SCAN_WASM_BASE64 } from './native/scanWasm'

/** Why a scan stopped (scan.c): every complete record read. */
export const SCAN_DONE = 0
/** Why a scan stopped: the record at `stop` needs the JavaScript path (odd quoting, too long, too wide). */
export const SCAN_JS = 1
/** Why a scan stopped: the output arrays are full (scan again from `stop`). */
export const SCAN_FULL = 2

/** Fields and records one scan call returns at most (it is called again when they fill up). */
const FIELDS = 1 << 12
const RECORDS = 1 << 9
/** Columns the scan can be told what to take of (want); it takes everything of fields past these. */
export const WANT_COLUMNS = 1024
/** want[j] bits (scan.c): take the fields' hash and space flag, their plain number, their ISO date. */
export const WANT_HASH = 1
export const WANT_NUMBER = 2
export const WANT_DATE = 4
/** Everything, which is what the scan takes of a column until told otherwise. */
export const WANT_ALL = WANT_HASH | WANT_NUMBER | WANT_DATE
const PAGE = 1 << 16

// The node typings this builds with leave WebAssembly out: the little of it used here, typed.
interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(pages: number): number
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: Record<string, unknown> }
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

let compiled: object | null = null

type ScanFn = (
  inPtr: number, from: number, n: number, D: number, crlf: number, final: number, maxBytes: number,
  fs: number, fe: number, fd: number, fcap: number, rend: number, rlines: number, rcap: number, out: number,
  decimal: number, pow10: number, fnum: number, fkind: number, want: number, wantCols: number, fhash: number, fspace: number, fdate: number,
) => number

/** Per-field arrays as the scanner fills them (ByteCells keeps its own set, for the JavaScript loop). */
export interface FieldArrays {
  fs: Int32Array
  fe: Int32Array
  fd: Uint8Array
  fkind: Uint8Array
  fnum: Float64Array
  fhash: Float64Array
  fspace: Uint8Array
  fdate: Float64Array
}

/**
 * The wasm record scanner (native/scan.c) with its own memory: a block of the file is copied in,
 * and each scan call leaves its fields and records in the typed-array views below, valid until
 * the next call.
 */
export class WasmCsvScanner implements FieldArrays {
  private readonly memory: WasmMemory
  private readonly fn: ScanFn
  private inCap = 0
  /** Per field: first byte, byte past the end, 1 when it holds doubled quotes. */
  fs = new Int32Array(0)
  fe = new Int32Array(0)
  fd = new Uint8Array(0)
  /** Per field: its plain number's kind (0 none or not taken, 1 integer, 2 other; typing.ts scanPlainBytes) and value. */
  fkind = new Uint8Array(0)
  fnum = new Float64Array(0)
  /** Per field: hash53 of its bytes (-1 not ASCII; -2 not taken), and 1 when it holds a space. */
  fhash = new Float64Array(0)
  fspace = new Uint8Array(0)
  /** Per field: its ISO date as typing.ts's isoDateBytes reads it (days), NaN when it is none or not taken. */
  fdate = new Float64Array(0)
  /** Per column (place in the record): what to take of its fields (WANT_* bits). Set by the caller; kept across scans. */
  want = new Uint8Array(WANT_COLUMNS).fill(WANT_ALL)
  /** Per record: field index past its last field, and the line breaks in it. */
  rend = new Int32Array(0)
  rlines = new Int32Array(0)
  private out = new Int32Array(0)
  private bytes = new Uint8Array(0)
  /** Byte offsets of each array in memory (see layout). */
  private at = { fnum: 0, fhash: 0, fdate: 0, fs: 0, fe: 0, rend: 0, rlines: 0, out: 0, pow10: 0, fd: 0, fkind: 0, fspace: 0, want: 0 }
  /** Where the last scan stopped, and why. */
  stop = 0
  why = SCAN_DONE

  constructor() {
    compiled ??= new wasmApi.Module(Buffer.from(SCAN_WASM_BASE64, 'base64'))
    const inst = new wasmApi.Instance(compiled, {})
    this.memory = inst.exports.memory as WasmMemory
    this.fn = inst.exports.nw_csv_scan as ScanFn
  }

  /** Copies data[0, n) in (the scans read it there). */
  load(data: Uint8Array, n: number): void {
    if (n > this.inCap) this.layout(n)
    this.bytes.set(data.subarray(0, n), 0)
  }

  /** Scans the loaded bytes from `from` to `n`; returns the records found (see scan.c for the arguments). */
  scan(from: number, n: number, delimiter: number, crlf: boolean, final: boolean, maxBytes: number, decimal: number): number {
    const a = this.at
    const records = this.fn(0, from, n, delimiter, crlf ? 1 : 0, final ? 1 : 0, maxBytes, a.fs, a.fe, a.fd, FIELDS, a.rend, a.rlines, RECORDS, a.out, decimal, a.pow10, a.fnum, a.fkind, a.want, WANT_COLUMNS, a.fhash, a.fspace, a.fdate)
    this.stop = this.out[0]
    this.why = this.out[1]
    return records
  }

  /** Room for n input bytes (and the 15 a vector load may read past them), the output arrays after them. */
  private layout(n: number): void {
    // Grown with room to spare, so a slightly larger block does not grow it again.
    this.inCap = Math.ceil((n * 1.25 + 16) / 16) * 16
    // 8-byte arrays first, then 4-byte ones, then bytes: each stays aligned.
    let end = this.inCap
    const take = (bytes: number): number => {
      const at = end
      end += Math.ceil(bytes / 16) * 16
      return at
    }
    const a = this.at
    a.fnum = take(8 * FIELDS)
    a.fhash = take(8 * FIELDS)
    a.fdate = take(8 * FIELDS)
    a.pow10 = take(8 * POW10.length)
    a.fs = take(4 * FIELDS)
    a.fe = take(4 * FIELDS)
    a.rend = take(4 * RECORDS)
    a.rlines = take(4 * RECORDS)
    a.out = take(8)
    a.fd = take(FIELDS)
    a.fkind = take(FIELDS)
    a.fspace = take(FIELDS)
    a.want = take(WANT_COLUMNS)
    const wanted = this.want.slice()
    const have = this.memory.buffer.byteLength
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE))
    const buf = this.memory.buffer
    this.bytes = new Uint8Array(buf, 0, this.inCap)
    this.fnum = new Float64Array(buf, a.fnum, FIELDS)
    new Float64Array(buf, a.pow10, POW10.length).set(POW10)
    this.fs = new Int32Array(buf, a.fs, FIELDS)
    this.fe = new Int32Array(buf, a.fe, FIELDS)
    this.rend = new Int32Array(buf, a.rend, RECORDS)
    this.rlines = new Int32Array(buf, a.rlines, RECORDS)
    this.out = new Int32Array(buf, a.out, 2)
    this.fd = new Uint8Array(buf, a.fd, FIELDS)
    this.fkind = new Uint8Array(buf, a.fkind, FIELDS)
    this.fhash = new Float64Array(buf, a.fhash, FIELDS)
    this.fdate = new Float64Array(buf, a.fdate, FIELDS)
    this.fspace = new Uint8Array(buf, a.fspace, FIELDS)
    // The wanted columns survive a new layout.
    const want = new Uint8Array(buf, a.want, WANT_COLUMNS)
    want.set(wanted)
    this.want = want
  }
}
