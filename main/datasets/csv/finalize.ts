import { encodeTabularChunk, TextColumn } from '../chunks/format'
import { AppError } from '../../../common/errors'
import type { RecipeFitter } from '../recipe/fit'
import type { SplitPlan } from '../../../common/datasets/split'
import { storageSlots, type ColumnSchema } from '../../../common/datasets/types'
import type { ColumnProfile } from './profile'
import type { ProvisionalChunk } from './provisional'
import { addMoments, everyRow } from '../moments'
import { booleanCell, cellFormat, dateCell, numericCell, type CellFormatSpec } from '../../../common/datasets/typing'

/** Writes the split stratum of rows 0..n of a chunk (its stored columns) to out[0..n). */
export type StrataOf = (cols: readonly (Float32Array | Int32Array)[], n: number, out: Int32Array) => void

/** Numeric histograms have this many bins (integer columns with a narrower range get one bin per value). */
export const HISTOGRAM_BINS = 20

/** Statistics of one stored float32 column over the values as stored. */
export interface NumericAccumulator {
  count: number
  missing: number
  mean: number
  m2: number
  min: number
  max: number
  /** Histogram: first edge, bin width, counts. */
  lo: number
  width: number
  bins: Float64Array
}

/** Bin layout for a value range: one bin per integer when the range is narrow, else HISTOGRAM_BINS equal bins. */
export function binning(lo: number, hi: number, integer: boolean): { start: number; width: number; bins: number } {
  if (!(lo <= hi)) return { start: 0, width: 1, bins: 1 }
  if (integer && hi - lo < HISTOGRAM_BINS) return { start: lo - 0.5, width: 1, bins: hi - lo + 1 }
  if (hi === lo) return { start: lo - 0.5, width: 1, bins: 1 }
  return { start: lo, width: (hi - lo) / HISTOGRAM_BINS, bins: HISTOGRAM_BINS }
}

interface Out {
  col: ColumnSchema
  /** Category code of each distinct slot (categorical), else null. */
  slotToCode: Int32Array | null
  /** Value of each distinct slot under the final type, for chunks that kept slots only. */
  slotValues: Float32Array | null
  /** Histogram bin of each slot's value (-1: none), and this chunk's count of each slot: see slotValuesOut. */
  slotBins: Int32Array | null
  slotCounts: Int32Array | null
  acc: NumericAccumulator | null
  /** Text columns: the text of each distinct slot, for chunks that kept slots only. */
  slotTexts: string[] | null
}

/** The cell parser of a stored value type: the same the read used, so a slot's value is the cell's. */
function valueParser(col: ColumnSchema, fmt: number): (t: string) => number {
  if (col.type === 'boolean') return booleanCell
  if (col.type === 'date') return (t) => dateCell(t, fmt)
  return (t) => numericCell(t, fmt)
}

/**
 * Turns provisional chunks into stored chunks once the types are known: keeps the values or the
 * category codes each column's final type needs, assigns each row its split, feeds training rows
 * to the recipe fit, and takes the statistics of the numeric columns as stored.
 */
export class Finalizer {
  private readonly outs: Out[]
  /** The chunk's stored columns: this chunk's provisional values where they are stored as read, else `owned`. */
  private readonly cols: (Float32Array | Int32Array)[]
  /** Per stored column, the array its values or codes are decoded into (reused chunk after chunk). */
  private readonly owned: (Float32Array | Int32Array)[]
  private readonly split: Uint8Array
  private readonly strata: Int32Array
  private readonly trainRows: Uint32Array
  /** 0..chunkRows-1, for the statistics of whole columns (addMoments). */
  private readonly all: Uint32Array
  private readonly strataOf: StrataOf

  constructor(
    private readonly file: string,
    columns: readonly ColumnSchema[],
    profiles: readonly ColumnProfile[],
    format: CellFormatSpec,
    chunkRows: number,
    private readonly plan: SplitPlan | null,
    strataOf: (slots: Int32Array) => StrataOf,
    private readonly fitter: RecipeFitter | null,
  ) {
    this.outs = columns
      .filter((c) => c.storage)
      .map((col) => {
        const p = profiles[col.index]
        if (col.storage === 'text') {
          const slotTexts: string[] = []
          for (const [text, slot] of p.slotMap()) slotTexts[slot] = text
          return { col, slotToCode: null, slotValues: null, slotBins: null, slotCounts: null, acc: null, slotTexts }
        }
        if (col.storage === 'i32') {
          const slots = p.slotMap()
          const slotToCode = new Int32Array(slots.size).fill(-1)
          ;(col.categories ?? []).forEach((cat, code) => {
            const s = slots.get(cat)
            if (s !== undefined) slotToCode[s] = code
          })
          return { col, slotToCode, slotValues: null, slotBins: null, slotCounts: null, acc: null, slotTexts: null }
        }
        const forced = col.type !== col.inferredType
        const [lo, hi] = forced ? [p.forcedMin, p.forcedMax] : col.type === 'date' ? [p.dateMin, p.dateMax] : col.type === 'boolean' ? [0, 1] : [p.numMin, p.numMax]
        const { start, width, bins } = binning(lo, hi, col.type === 'integer' || col.type === 'boolean')
        const acc: NumericAccumulator = { count: 0, missing: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity, lo: start, width, bins: new Float64Array(bins) }
        const parse = valueParser(col, cellFormat(format))
        const slotValues = new Float32Array(p.slotMap().size)
        for (const [text, slot] of p.slotMap()) slotValues[slot] = parse(text)
        const slotBins = Int32Array.from(slotValues, (x) => binOf(acc, x))
        return { col, slotToCode: null, slotValues, slotBins, slotCounts: new Int32Array(slotValues.length), acc, slotTexts: null }
      })
    this.owned = this.outs.map((o) => (o.col.storage === 'i32' ? new Int32Array(chunkRows) : new Float32Array(chunkRows)))
    this.cols = this.owned.slice()
    this.split = new Uint8Array(chunkRows)
    this.strata = new Int32Array(chunkRows)
    this.trainRows = new Uint32Array(chunkRows)
    this.all = everyRow(chunkRows)
    this.strataOf = strataOf(storageSlots(columns))
  }

  /** The numeric accumulators by column index. */
  accumulators(): Map<number, NumericAccumulator> {
    const m = new Map<number, NumericAccumulator>()
    for (const o of this.outs) if (o.acc) m.set(o.col.index, o.acc)
    return m
  }

  /** Finalises one chunk; returns the stored chunk (or null when `emit` is false, for previews). */
  chunk(p: ProvisionalChunk, emit: boolean): Buffer | null {
    const n = p.rows
    const { outs, cols, owned } = this
    for (let k = 0; k < outs.length; k++) {
      const o = outs[k]
      const vals = p.vals[o.col.index]
      const codes = p.codes[o.col.index]
      if (o.slotTexts) {
        cols[k] = textsOut(o, p.texts[o.col.index], codes, vals, n, this.file)
      } else if (o.slotToCode && codes) {
        codesOut(o.slotToCode, codes, owned[k] as Int32Array, n)
        cols[k] = owned[k]
      } else if (!o.slotToCode && (vals || codes)) {
        // Values stored as read are used where they lie (the chunk is encoded before the next is read).
        if (vals) {
          cols[k] = vals.subarray(0, n)
          valuesOut(o.acc as NumericAccumulator, cols[k] as Float32Array, n, this.all)
        } else {
          cols[k] = owned[k]
          slotValuesOut(o, codes as Int32Array, owned[k] as Float32Array, n, this.all)
        }
      } else {
        throw new AppError('internal', `${this.file}: column "${o.col.name}" lost its ${o.slotToCode ? 'categories' : 'values'} while being read`)
      }
    }
    if (this.plan) {
      this.strataOf(cols, n, this.strata)
      const train = this.plan.assignRows(this.strata, n, this.split)
      if (this.fitter) {
        const { split, trainRows } = this
        for (let i = 0, t = 0; t < train; i++) if (split[i] === 0) trainRows[t++] = i
        this.fitter.addRows(cols, trainRows, train)
      }
    }
    return emit ? encodeTabularChunk(n, this.split, cols) : null
  }
}

/** A text column's cells for one chunk: the spooled text, else each slot's text, else the values as text. */
function textsOut(o: Out, texts: string[] | null, codes: Int32Array | null, vals: Float32Array | null, n: number, file: string): TextColumn {
  if (texts) return new TextColumn(texts.slice(0, n))
  const slotTexts = o.slotTexts as string[]
  if (codes) return new TextColumn(Array.from(codes.subarray(0, n), (s) => (s < 0 ? '' : (slotTexts[s] ?? ''))))
  // Only reachable for a chunk that was all numbers before the column turned out to be text.
  if (vals) return new TextColumn(Array.from(vals.subarray(0, n), (v) => (v === v ? String(v) : '')))
  throw new AppError('internal', `${file}: column "${o.col.name}" lost its text while being read`)
}

function codesOut(slotToCode: Int32Array, src: Int32Array, out: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const s = src[i]
    out[i] = s < 0 ? -1 : slotToCode[s]
  }
}

/**
 * The histogram bin valuesOut counts a value in: -1 for none (a missing value; a NaN bin, which
 * valuesOut's bins[NaN]++ leaves uncounted).
 */
function binOf(a: NumericAccumulator, x: number): number {
  if (x !== x) return -1
  const last = a.bins.length - 1
  let b = Math.floor((x - a.lo) / a.width)
  if (b < 0) b = 0
  else if (b > last) b = last
  return b === b ? b : -1
}

/**
 * Decodes a column kept as slots into out[0..n) and takes its statistics, as valuesOut over the
 * decoded values would: the same moments in the same order, and the same histogram, counted per
 * slot (each slot's bin is worked out once) and added to the bins at the end of the chunk.
 */
function slotValuesOut(o: Out, codes: Int32Array, out: Float32Array, n: number, all: Uint32Array): void {
  const a = o.acc as NumericAccumulator
  const slotValues = o.slotValues as Float32Array
  const slotCounts = o.slotCounts as Int32Array
  const slotBins = o.slotBins as Int32Array
  const size = slotValues.length
  for (let i = 0; i < n; i++) {
    const s = codes[i]
    if (s < 0 || s >= size) {
      out[i] = NaN
      continue
    }
    const x = slotValues[s]
    out[i] = x
    if (x === x) slotCounts[s]++
  }
  a.missing += n - addMoments(a, out, all, n)
  const bins = a.bins
  for (let s = 0; s < size; s++) {
    const c = slotCounts[s]
    if (c === 0) continue
    slotCounts[s] = 0
    const b = slotBins[s]
    if (b >= 0) bins[b] += c
  }
}

/** Statistics of the stored values src[0..n) (`all`: everyRow, at least n long). */
function valuesOut(a: NumericAccumulator, src: Float32Array, n: number, all: Uint32Array): void {
  a.missing += n - addMoments(a, src, all, n)
  const { bins, lo, width } = a
  const last = bins.length - 1
  for (let i = 0; i < n; i++) {
    const x = src[i]
    if (x !== x) continue
    let b = Math.floor((x - lo) / width)
    if (b < 0) b = 0
    else if (b > last) b = last
    bins[b]++
  }
}
