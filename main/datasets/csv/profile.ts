import type { ColumnType } from '../../../common/datasets/types'
import * as typing from '../../../common/datasets/typing'
import type { ByteCells } from './byteRows'
import { WANT_DATE, WANT_HASH, WANT_NUMBER } from './wasmScan'
import { hash53, hash53Bytes, SlotsByHash, UniqueHashSet } from './uniqueSet'

// Hot-loop aliases: when TypeScript is run through a CommonJS transpile (tsx, vitest) every use of
// an imported binding is a property getter call; binding them once here keeps pass 1 fast.
const { trimCell, isMissing, boolToken, boolTokenBytes, scanNumber, dateValue, numericCell, booleanCell, dateCell } = typing
const { CATEGORICAL_MAX, FLOAT32_MAX, SCAN } = typing
const BOOL = typing.TYPE_BITS.boolean
const INT = typing.TYPE_BITS.integer
const FLT = typing.TYPE_BITS.float
const DATE = typing.TYPE_BITS.date
const NUM = INT | FLT

/** Where a chunk's rows start in the file; asked only when a note needs a line. */
export interface LineSource {
  lineOf(row: number): number
}

/** A profile's state at the end of one part of a split read (plain data, sent between threads). */
export interface ProfileState {
  candidates: number
  count: number
  missing: number
  overflowed: boolean
  allUnique: boolean
  increasing: boolean
  firstInt: number
  lastInt: number
  maxLength: number
  hasSpace: boolean
  numMin: number
  numMax: number
  dateMin: number
  dateMax: number
  numbersSeen: number
  datesSeen: number
  notNumber: RuledOut | null
  notDate: RuledOut | null
  notBoolean: RuledOut | null
  /** Distinct values in slot order (the first CATEGORICAL_MAX), and their counts. */
  slots: string[]
  counts: Float64Array
  /** Hashes of every value once past CATEGORICAL_MAX, while all were different (else null). */
  uniqueHashes: Float64Array | null
  /** uniqueHashes left out: the values are the integers firstInt..lastInt, each written canonically (runHashes makes them). */
  uniqueRun: boolean
  forcedMin: number
  forcedMax: number
  unparsed: number
  firstUnparsed: RuledOut | null
}

/** The first value that ruled a type out, with its line, for the column's note. */
export interface RuledOut {
  value: string
  line: number
}

/**
 * The single read of one column: which types its values still fit, its distinct values (up to
 * CATEGORICAL_MAX, which become the categories), the value range for histogram bins, and the
 * provisional encoding of the current chunk of rows. Each cell is stored both ways that might be
 * needed once the type is known: its value (number, date as days, boolean as 0/1; NaN when
 * missing) while a value type is still possible, and its distinct-value slot while the column
 * could still be categorical. csv/finalize.ts keeps the one the final type needs.
 */
export class ColumnProfile {
  candidates = BOOL | INT | FLT | DATE
  count = 0
  missing = 0
  /**
   * Distinct trimmed values and their counts, filled by finish() (while reading it stays empty and
   * only says "still counting"); null once there are more than CATEGORICAL_MAX.
   */
  distinct: Map<string, number> | null = new Map()
  allUnique = true
  /** Integer values count up by one, row by row (a row number). */
  increasing = true
  maxLength = 0
  /** Some value holds a space (asked only while the values are all different and at most 64 characters long). */
  hasSpace = false
  /** Range of the values that read as numbers, and of those that read as dates. */
  numMin = Infinity
  numMax = -Infinity
  dateMin = Infinity
  dateMax = -Infinity
  /** Values that read as numbers and as dates while those types were still possible (> 0: some did). */
  numbersSeen = 0
  datesSeen = 0
  /** The first value that was not a number, not a date, and not a boolean. */
  notNumber: RuledOut | null = null
  notDate: RuledOut | null = null
  notBoolean: RuledOut | null = null
  private lastInt = -Infinity
  /** The first integer value seen (to join the increasing runs of a split read's parts). */
  private firstInt = NaN
  /** The current cell's integer value when it is small and written canonically ("7", not "+7"), else NaN. */
  private smallInt = NaN
  /** The current cell's number, when it read as one. */
  private cellNumber = NaN
  /** Slot of each small integer (-1024..1023), so most integer cells skip the string hash. */
  private readonly intSlots = new Int32Array(2048).fill(-1)
  /** The current cell's boolean token (typing.boolToken) when it is one, else -1. */
  private boolTok = -1
  /** Slot of each boolean token, so boolean cells skip the string hash too. */
  private readonly boolSlots = new Int32Array(12).fill(-1)
  private unique: UniqueHashSet | null = null
  /**
   * A later part past CATEGORICAL_MAX whose values are so far the integers firstInt..lastInt, each
   * written canonically: their hashes are not taken (they follow from the range) until the run ends.
   */
  private runDeferred = false
  // Distinct values map to a slot in `counts`: one hash lookup per value instead of get + set.
  private readonly slots = new Map<string, number>()
  private slotCount = 0
  /** Each slot's text, and slots by the hash of their text's bytes (see addBytes). */
  private readonly slotText: string[] = []
  private readonly byteSlots = new SlotsByHash()
  private counts = new Float64Array(64)
  /** A forced value type's cell parser: its result is what gets stored, whatever the shapes say. */
  private readonly forcedParse: ((t: string) => number) | null
  /** Forced value types: range of the parsed values, and cells that did not parse. */
  forcedMin = Infinity
  forcedMax = -Infinity
  unparsed = 0
  firstUnparsed: RuledOut | null = null
  /** Provisional encoding of the current chunk (see the class comment). */
  readonly vals: Float32Array
  readonly codes: Int32Array
  /** The current chunk's trimmed cells ('' missing), for a column that may be tokenized (else empty). */
  readonly texts: string[]
  private readonly forcedText: boolean

  constructor(
    readonly name: string,
    /** How numbers and dates are written (a cellFormat code). */
    private readonly fmt: number,
    /** The type the caller forced, if any. */
    forced: ColumnType | undefined,
    chunkRows: number,
    /** Keep the cells' text: the recipe tokenizes this column, should it turn out to be text. */
    private readonly wantsText = false,
    /**
     * A later part of a split read: what comes before is unknown, so keep what a merge may need
     * (hashes of increasing integers too, text whenever the slots cannot give it back).
     */
    private readonly laterPart = false,
  ) {
    this.forcedParse =
      forced === 'boolean'
        ? booleanCell
        : forced === 'date'
          ? (t: string) => dateCell(t, fmt)
          : forced === 'integer' || forced === 'float'
            ? (t: string) => numericCell(t, fmt)
            : null
    this.vals = new Float32Array(chunkRows)
    this.codes = new Int32Array(chunkRows)
    this.texts = wantsText ? new Array<string>(chunkRows).fill('') : []
    this.forcedText = forced === 'text'
  }

  /**
   * True when this chunk's text must be spooled: the column may become a tokenized text feature
   * and neither its slots (too many distinct values) nor a value type can give the text back.
   */
  get keepsText(): boolean {
    return this.wantsText && !this.keepsCodes && (this.candidates === 0 || this.forcedText || this.laterPart)
  }

  /** True when this chunk's values are complete (a value type is still possible, or forced). */
  get keepsValues(): boolean {
    return this.candidates !== 0 || this.forcedParse !== null
  }

  /** True when this chunk's distinct slots are complete (the column could still be categorical). */
  get keepsCodes(): boolean {
    return this.distinct !== null
  }

  /** Distinct value -> slot (the codes of the provisional chunks; the first 1,000 values). */
  slotMap(): ReadonlyMap<string, number> {
    return this.slots
  }

  /** Looks at one raw cell, row i of the chunk; `lines` says the row's line in the file (for notes). */
  add(raw: string, i: number, lines: LineSource): void {
    const t = trimCell(raw)
    if (this.wantsText) this.texts[i] = t
    if (isMissing(t)) {
      if (this.wantsText) this.texts[i] = ''
      this.missing++
      this.vals[i] = NaN
      this.codes[i] = -1
      return
    }
    this.count++
    if (t.length > this.maxLength) this.maxLength = t.length
    let bits = this.candidates
    this.smallInt = NaN
    this.boolTok = -1
    if (bits !== 0) bits = this.checkShapes(t, bits, i, lines)
    this.candidates = bits
    if (this.forcedParse !== null) this.forced(t, i, lines)
    const ints = (bits & INT) !== 0
    if (ints) {
      if (this.increasing) {
        const v = this.cellNumber
        if (v === this.lastInt + 1) this.lastInt = v
        else if (this.lastInt === -Infinity) this.lastInt = this.firstInt = v
        else this.increasing = false
      }
    } else if ((bits & (BOOL | FLT)) === 0 && !this.hasSpace && this.allUnique && this.maxLength <= 64 && t.indexOf(' ') >= 0) {
      // Numbers and booleans never hold a space; dates ("2021-03-07 08:00") and text may. Only an
      // all-different column of short values asks (decideType's 'id'), so others skip the scan.
      this.hasSpace = true
    }
    const v = this.smallInt
    this.codes[i] = v === v ? this.countSmallInt(v, t) : this.boolTok >= 0 ? this.countBoolToken(this.boolTok, t) : this.countDistinct(t, ints && this.increasing)
  }

  /**
   * add() for a cell given as the bytes b[s, e) of the file, without making its string: taken
   * only where nothing but its value is needed (an empty cell; a plain number, boolean token, ISO
   * date or text whose distinct slot is known or no longer counted), with the same effects as add() on its
   * text. Returns false, having changed nothing, for any other cell: the caller then calls add().
   * The cell is field k of the reader's cells `c`: its bytes, and what the reader read of them
   * already (plain number, ISO date, hash where taken).
   */
  addBytes(c: ByteCells, k: number, i: number): boolean {
    const bits = this.candidates
    if (this.forcedParse !== null || this.wantsText) return false
    const b = c.data
    const s = c.starts[k]
    const e = c.ends[k]
    const n = e - s
    if (n === 0) {
      // An empty cell is missing whatever the column's type.
      this.missing++
      this.vals[i] = NaN
      this.codes[i] = -1
      return true
    }
    if (bits === BOOL) return this.boolBytes(b, s, e, i)
    if ((bits & BOOL) !== 0 || ((bits & DATE) !== 0 && bits !== DATE)) return false
    const c0 = b[s]
    const cl = b[e - 1]
    // Surrounding spaces (trimCell) and missing tokens ("-", "NA", "n/a", "#N/A", "?") take the string path.
    if (c0 === 32 || c0 === 9 || cl === 32 || cl === 9) return false
    if (n <= 4 && ((c0 === 45 && n === 1) || c0 === 78 || c0 === 110 || c0 === 35 || c0 === 63)) return false
    if (bits === 0) return this.textBytes(b, s, e, i, NaN, c.hashes[k], c.spaces[k])
    if (bits === DATE) {
      const d = c.dates[k]
      return d === d && this.textBytes(b, s, e, i, d, c.hashes[k], c.spaces[k])
    }
    // The reader read the plain number (scanPlainBytes, with this file's decimal mark).
    const kind = c.kinds[k]
    const v = kind === 0 ? NaN : c.nums[k]
    if (!(v <= FLOAT32_MAX && v >= -FLOAT32_MAX)) return false
    const integer = kind === 1
    const hash = c.hashes[k]
    const nbits = integer ? bits & NUM : bits & NUM & ~INT
    const ints = (nbits & INT) !== 0
    let increasing = this.increasing
    if (ints && increasing && v !== this.lastInt + 1 && this.lastInt !== -Infinity) increasing = false
    const small = integer && v >= -1024 && v < 1024 && c0 !== 43 && (v !== 0 || n === 1)
    // The distinct slot (-1: none), or -2 when only the text could tell (a new value).
    let slot = -1
    let uniqueCheck = false
    if (this.distinct !== null) {
      slot = small ? this.intSlots[v + 1024] : this.slotOfBytes(b, s, e, hash)
      if (slot < 0) return false
    } else {
      uniqueCheck = this.allUnique && !((small ? increasing : ints && increasing) && !this.laterPart)
      if (this.runDeferred) {
        if (ints && increasing && canonicalInt(b, s, e)) uniqueCheck = false
        else this.endRun(this.lastInt)
      }
    }
    this.count++
    if (n > this.maxLength) this.maxLength = n
    this.cellNumber = v
    this.vals[i] = v
    this.numbersSeen++
    if (v < this.numMin) this.numMin = v
    if (v > this.numMax) this.numMax = v
    this.candidates = nbits
    if (ints && this.increasing) {
      if (v === this.lastInt + 1) this.lastInt = v
      else if (this.lastInt === -Infinity) this.lastInt = this.firstInt = v
      else this.increasing = false
    }
    this.codes[i] = this.countFound(slot, uniqueCheck, b, s, e, hash)
    return true
  }

  /**
   * What addBytes may still use of a cell (the reader's WANT_* bits): its hash while distinct slots
   * are looked up or uniqueness is checked, its number while a number type is possible, its date
   * while a date is.
   */
  get wants(): number {
    if (this.forcedParse !== null || this.wantsText) return 0
    const bits = this.candidates
    return (this.distinct !== null || this.allUnique ? WANT_HASH : 0) | ((bits & NUM) !== 0 ? WANT_NUMBER : 0) | ((bits & DATE) !== 0 ? WANT_DATE : 0)
  }

  /**
   * addBytes for a column that can only be boolean: a token whose slot is known (no token is a
   * missing one, and none has surrounding spaces), with add()'s effects on its text.
   */
  private boolBytes(b: Uint8Array, s: number, e: number, i: number): boolean {
    if (this.distinct === null) return false
    const k = boolTokenBytes(b, s, e)
    if (k < 0) return false
    const slot = this.boolSlots[k]
    if (slot < 0) return false
    const n = e - s
    this.count++
    if (n > this.maxLength) this.maxLength = n
    this.vals[i] = k < 6 ? 1 : 0
    this.counts[slot]++
    this.allUnique = false
    this.codes[i] = slot
    return true
  }

  /**
   * addBytes for a column that is text by now (no value type left), or a date column (`date`: the
   * cell's days, else NaN): its slot or uniqueness from the bytes.
   */
  private textBytes(b: Uint8Array, s: number, e: number, i: number, date: number, hash: number, space: number): boolean {
    const n = e - s
    const max = n > this.maxLength ? n : this.maxLength
    // While all values differ, add() asks whether one holds a space (for 'id'): the bytes can say.
    const spaceCheck = !this.hasSpace && this.allUnique && max <= 64
    let slot = -1
    let uniqueCheck = false
    if (this.distinct !== null) {
      slot = this.slotOfBytes(b, s, e, hash)
      if (slot < 0) return false
    } else {
      // Lengths count characters: only ASCII bytes are one each (whatever the encoding). A cell
      // that read as an ISO date is ASCII already; a hash taken says so too (-1: not ASCII).
      if (hash === -1) return false
      if (date !== date && hash === -2) for (let k = s; k < e; k++) if (b[k] >= 128) return false
      uniqueCheck = this.allUnique
    }
    this.count++
    this.maxLength = max
    if (date === date) {
      this.vals[i] = date
      this.datesSeen++
      if (date < this.dateMin) this.dateMin = date
      if (date > this.dateMax) this.dateMax = date
    }
    if (spaceCheck && hash >= 0) {
      if (space === 1) this.hasSpace = true
    } else if (spaceCheck) {
      for (let k = s; k < e; k++) {
        if (b[k] === 32) {
          this.hasSpace = true
          break
        }
      }
    }
    this.codes[i] = this.countFound(slot, uniqueCheck, b, s, e, hash)
    return true
  }

  /** countDistinct's effect for a value found from its bytes: its slot counted, or the uniqueness set told. */
  private countFound(slot: number, uniqueCheck: boolean, b: Uint8Array, s: number, e: number, hash: number): number {
    if (slot >= 0) {
      this.counts[slot]++
      this.allUnique = false
      return slot
    }
    if (uniqueCheck && (this.unique === null || !this.unique.addHash(hash === -2 ? hash53Bytes(b, s, e) : hash))) {
      this.allUnique = false
      this.unique = null
    }
    return -1
  }

  /** The slot of the ASCII text in b[s, e) when it has one already (checked against the slot's text), else -1. */
  private slotOfBytes(b: Uint8Array, s: number, e: number, hash: number): number {
    const h = hash === -2 ? hash53Bytes(b, s, e) : hash
    if (h < 0) return -1
    const slot = this.byteSlots.get(h)
    if (slot < 0) return -1
    const t = this.slotText[slot]
    if (t.length !== e - s) return -1
    for (let k = 0; k < t.length; k++) if (t.charCodeAt(k) !== b[s + k]) return -1
    return slot
  }

  /** After add() took row i from its text (field k of `c`): lets later cells with the same bytes find its slot (see addBytes). */
  learnBytes(c: ByteCells, k: number, i: number): void {
    const slot = this.codes[i]
    if (slot < 0 || this.distinct === null) return
    const hash = c.hashes[k]
    const h = hash === -2 ? hash53Bytes(c.data, c.starts[k], c.ends[k]) : hash
    if (h >= 0) this.byteSlots.set(h, slot)
  }

  /** countDistinct for a boolean token: an array lookup instead of a string hash. */
  private countBoolToken(k: number, t: string): number {
    if (this.distinct === null) return this.countDistinct(t, false)
    const slot = this.boolSlots[k]
    if (slot >= 0) {
      this.counts[slot]++
      this.allUnique = false
      return slot
    }
    const s = this.countDistinct(t, false)
    if (s >= 0) this.boolSlots[k] = s
    return s
  }

  /** countDistinct for a small canonical integer: an array lookup instead of a string hash. */
  private countSmallInt(v: number, t: string): number {
    if (this.distinct === null) return this.countDistinct(t, this.increasing)
    const slot = this.intSlots[v + 1024]
    if (slot >= 0) {
      this.counts[slot]++
      this.allUnique = false
      return slot
    }
    const s = this.countDistinct(t, this.increasing)
    if (s >= 0) this.intSlots[v + 1024] = s
    return s
  }

  private forced(t: string, i: number, lines: LineSource): void {
    const v = (this.forcedParse as (t: string) => number)(t)
    this.vals[i] = v
    if (v !== v) {
      this.unparsed++
      if (this.firstUnparsed === null) this.firstUnparsed = { value: t, line: lines.lineOf(i) }
      return
    }
    if (v < this.forcedMin) this.forcedMin = v
    if (v > this.forcedMax) this.forcedMax = v
  }

  /** Narrows the candidate types by one value and stores its value (unless a forced type does). */
  private checkShapes(t: string, bits: number, i: number, lines: LineSource): number {
    const store = this.forcedParse === null
    if (bits & BOOL) {
      const k = boolToken(t)
      if (k < 0) {
        this.notBoolean = { value: t, line: lines.lineOf(i) }
        bits &= ~BOOL
      } else {
        if (store) this.vals[i] = k < 6 ? 1 : 0
        this.boolTok = k
        // A boolean token is neither a number nor a date.
        return bits & BOOL
      }
    }
    if (bits & NUM) {
      const v = scanNumber(t, this.fmt)
      this.cellNumber = v
      if (!(v <= FLOAT32_MAX && v >= -FLOAT32_MAX)) {
        this.notNumber = { value: t, line: lines.lineOf(i) }
        bits &= ~NUM
      } else {
        if (store) this.vals[i] = v
        this.numbersSeen++
        if (v < this.numMin) this.numMin = v
        if (v > this.numMax) this.numMax = v
        if (!SCAN.integer) bits &= ~INT
        else if (v >= -1024 && v < 1024 && t.charCodeAt(0) !== 43 && (v !== 0 || t.length === 1)) this.smallInt = v
        // A number is never a date or a boolean.
        return bits & NUM
      }
    }
    if (bits & DATE) {
      const d = dateValue(t, this.fmt)
      if (d !== d) {
        this.notDate = { value: t, line: lines.lineOf(i) }
        bits &= ~DATE
      } else {
        if (store) this.vals[i] = d
        this.datesSeen++
        if (d < this.dateMin) this.dateMin = d
        if (d > this.dateMax) this.dateMax = d
        return bits & DATE
      }
    }
    return bits
  }

  /**
   * Counts distinct values up to CATEGORICAL_MAX, then keeps only "are they all different?".
   * Returns the value's slot while counting, else -1.
   */
  private countDistinct(t: string, increasingInts: boolean): number {
    if (this.distinct !== null) {
      const slot = this.slots.get(t)
      if (slot !== undefined) {
        this.counts[slot]++
        this.allUnique = false
        return slot
      }
      const n = this.slotCount
      if (n < CATEGORICAL_MAX) {
        if (n === this.counts.length) {
          const grown = new Float64Array(n * 2)
          grown.set(this.counts)
          this.counts = grown
        }
        this.slots.set(t, n)
        this.slotText[n] = t
        this.slotCount++
        this.counts[n] = 1
        return n
      }
      // Too many to be categories. Strictly increasing integers are unique by construction;
      // anything else keeps answering the uniqueness question by hash.
      if (this.allUnique && this.laterPart && increasingInts && this.canonicalSlots(t)) this.runDeferred = true
      else if (this.allUnique && (!increasingInts || this.laterPart)) {
        this.unique = new UniqueHashSet()
        for (const k of this.slots.keys()) this.unique.add(k)
        this.unique.add(t)
      }
      this.distinct = null
      // The slots stay: chunks written so far hold codes only, and finalize reads values from them.
      return -1
    }
    if (!this.allUnique || (increasingInts && !this.laterPart)) return -1
    if (this.runDeferred) {
      if (increasingInts && canonicalText(t)) return -1
      // The run ends here (this value is not in it, or is but written otherwise): hash what it held.
      this.endRun(increasingInts ? this.lastInt - 1 : this.lastInt)
    }
    if (this.unique === null || !this.unique.add(t)) {
      // A repeat, or the increasing run broke after the strings were dropped: not provably unique.
      this.allUnique = false
      this.unique = null
    }
    return -1
  }

  /** Whether every distinct value so far, and `t`, is an integer written canonically (see runDeferred). */
  private canonicalSlots(t: string): boolean {
    if (!canonicalText(t)) return false
    for (const k of this.slots.keys()) if (!canonicalText(k)) return false
    return true
  }

  /** Ends a deferred run: the uniqueness set gets the hashes of firstInt..upTo, as if each had been added. */
  private endRun(upTo: number): void {
    this.runDeferred = false
    this.unique = new UniqueHashSet()
    for (const h of runHashes(this.firstInt, upTo)) this.unique.addHash(h)
  }

  /** This profile's state, to merge into the profile of the part before (see mergeLater). */
  state(): ProfileState {
    const slots: string[] = []
    for (const [k, slot] of this.slots) slots[slot] = k
    return {
      candidates: this.candidates,
      count: this.count,
      missing: this.missing,
      overflowed: this.distinct === null,
      allUnique: this.allUnique,
      increasing: this.increasing,
      firstInt: this.firstInt,
      lastInt: this.lastInt,
      maxLength: this.maxLength,
      hasSpace: this.hasSpace,
      numMin: this.numMin,
      numMax: this.numMax,
      dateMin: this.dateMin,
      dateMax: this.dateMax,
      numbersSeen: this.numbersSeen,
      datesSeen: this.datesSeen,
      notNumber: this.notNumber,
      notDate: this.notDate,
      notBoolean: this.notBoolean,
      slots,
      counts: this.counts.slice(0, this.slotCount),
      uniqueHashes: this.unique ? this.unique.hashes() : null,
      uniqueRun: this.runDeferred,
      forcedMin: this.forcedMin,
      forcedMax: this.forcedMax,
      unparsed: this.unparsed,
      firstUnparsed: this.firstUnparsed,
    }
  }

  /**
   * Folds in the profile of the part of the file that follows this one (a split read), as if its
   * rows had been read here; `lineOffset` turns its line numbers into the file's. Returns the
   * slot of each of its slots here, to rewrite its chunks' codes. Past CATEGORICAL_MAX the slot
   * map keeps growing (up to twice that): chunks already written hold codes only, and finalize
   * reads their values from the slots.
   */
  mergeLater(s: ProfileState, lineOffset: number): Int32Array {
    const shift = (r: RuledOut | null): RuledOut | null => (r ? { value: r.value, line: r.line + lineOffset } : null)
    const bits = this.candidates
    if (bits & BOOL && !this.notBoolean) this.notBoolean = shift(s.notBoolean)
    if (bits & NUM) {
      if (!this.notNumber) this.notNumber = shift(s.notNumber)
      this.numbersSeen += s.numbersSeen
      this.numMin = Math.min(this.numMin, s.numMin)
      this.numMax = Math.max(this.numMax, s.numMax)
    }
    if (bits & DATE) {
      if (!this.notDate) this.notDate = shift(s.notDate)
      this.datesSeen += s.datesSeen
      this.dateMin = Math.min(this.dateMin, s.dateMin)
      this.dateMax = Math.max(this.dateMax, s.dateMax)
    }
    this.candidates = bits & s.candidates
    this.count += s.count
    this.missing += s.missing
    this.maxLength = Math.max(this.maxLength, s.maxLength)
    this.hasSpace ||= s.hasSpace
    this.forcedMin = Math.min(this.forcedMin, s.forcedMin)
    this.forcedMax = Math.max(this.forcedMax, s.forcedMax)
    this.unparsed += s.unparsed
    this.firstUnparsed ??= shift(s.firstUnparsed)
    const hadInts = this.lastInt !== -Infinity
    const laterInts = s.lastInt !== -Infinity
    const joined = !hadInts || !laterInts || s.firstInt === this.lastInt + 1
    // Which values both parts hold, before the slots and the integer run change.
    const unique = this.allUnique && s.allUnique ? this.uniqueAcross(s, joined) : false
    if (this.increasing && (!s.increasing || !joined)) this.increasing = false
    if (laterInts) {
      if (!hadInts) this.firstInt = s.firstInt
      this.lastInt = s.lastInt
    }
    const remap = new Int32Array(s.slots.length)
    s.slots.forEach((text, k) => {
      let slot = this.slots.get(text)
      if (slot === undefined) {
        slot = this.slotCount++
        this.slots.set(text, slot)
        this.slotText[slot] = text
        if (slot >= this.counts.length) {
          const grown = new Float64Array(this.counts.length * 2)
          grown.set(this.counts)
          this.counts = grown
        }
      }
      this.counts[slot] += s.counts[k]
      remap[k] = slot
    })
    if (this.distinct === null || s.overflowed || this.slotCount > CATEGORICAL_MAX) this.distinct = null
    this.allUnique = unique
    this.unique = null
    return remap
  }

  /** Whether no value of the later part `s` is also one of this part's (both parts all-different). */
  private uniqueAcross(s: ProfileState, joined: boolean): boolean {
    // Joined increasing integers are different by construction.
    if (this.increasing && (this.candidates & INT) !== 0 && s.increasing && joined) return true
    const mine = new UniqueHashSet()
    if (this.distinct !== null) for (const k of this.slots.keys()) mine.add(k)
    else if (this.unique) for (const h of this.unique.hashes()) mine.addHash(h)
    // All different, but known only from an increasing run that the later part does not continue.
    else return false
    const theirs = s.overflowed ? (s.uniqueRun ? runHashes(s.firstInt, s.lastInt) : s.uniqueHashes) : Float64Array.from(s.slots, hash53)
    if (!theirs) return false
    for (const h of theirs) if (!mine.addHash(h)) return false
    return true
  }

  /** Ends the pass: fills `distinct` with the counts (call once, before reading it). */
  finish(): this {
    if (this.distinct !== null && this.distinct.size === 0) {
      for (const [k, slot] of this.slots) this.distinct.set(k, this.counts[slot])
    }
    return this
  }

  /** What decideType needs. */
  evidence(): typing.TypeEvidence {
    return {
      name: this.name,
      count: this.count,
      missing: this.missing,
      candidates: this.candidates,
      distinct: this.distinct === null ? -1 : this.slotCount,
      allUnique: this.allUnique,
      increasing: this.increasing && (this.candidates & INT) !== 0,
      maxLength: this.maxLength,
      hasSpace: this.hasSpace,
    }
  }
}

/** The hash53 of each integer from..to written canonically (String(v)). */
export function runHashes(from: number, to: number): Float64Array {
  const n = to >= from ? to - from + 1 : 0
  const out = new Float64Array(n)
  for (let k = 0; k < n; k++) out[k] = hash53(String(from + k))
  return out
}

/** Whether text is an integer as String(v) writes it: an optional minus, then digits without a leading zero (and not "-0"). */
function canonicalText(t: string): boolean {
  const n = t.length
  let k = t.charCodeAt(0) === 45 ? 1 : 0
  if (k === n) return false
  // Past 15 digits a double may not hold the integer exactly.
  if (n - k > 15) return false
  if (t.charCodeAt(k) === 48) return n === 1
  for (; k < n; k++) {
    const c = t.charCodeAt(k)
    if (c < 48 || c > 57) return false
  }
  return true
}

/** canonicalText for the ASCII bytes b[s, e). */
function canonicalInt(b: Uint8Array, s: number, e: number): boolean {
  let k = b[s] === 45 ? s + 1 : s
  if (k === e || e - k > 15) return false
  if (b[k] === 48) return e - s === 1
  for (; k < e; k++) {
    const c = b[k]
    if (c < 48 || c > 57) return false
  }
  return true
}
