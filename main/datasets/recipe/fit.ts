import * as prng from '../../../common/datasets/prng'
import type { ColumnSchema } from '../../../common/datasets/types'
import type { CellFormatSpec } from '../../../common/datasets/typing'
import type { ResolvedSpec } from './resolve'
import type { FittedStep, FittedTarget, Recipe } from '../../../common/datasets/recipeTypes'
import type { DropCheck } from './kernels'
import { chooseVocabulary, countTokens } from './tokens'
import { TextColumn } from '../chunks/format'
import { addMoments } from '../moments'

// The generator's steps as module constants: the reservoir loop calls them once per value, and
// where modules are transpiled one by one (tsx) an imported name is a property read per call.
const nextRandomState = prng.nextRandomState
const randomOfState = prng.randomOfState

/** Training values kept for the median; below this many the median is exact. */
export const MEDIAN_SAMPLE = 20_000
const MODE_DISTINCT_MAX = 1000

/** Running statistics of one numeric feature over the training rows; the mode and median only when asked for. */
class NumericFit {
  count = 0
  mean = 0
  m2 = 0
  min = Infinity
  max = -Infinity
  counts: Map<number, number> | null
  /** Counts of the integers -1024..1023 (most modes are of booleans and small codes), beside `counts`. */
  private small: Float64Array | null
  private distinct = 0
  readonly sample: number[] = []
  private readonly sampled: boolean
  seen = 0
  /**
   * The state of this feature's own generator (seededRandom's numbers, kept in a local through
   * the loop): draws depend only on its own values, never on how rows are chunked.
   */
  private randomState: number

  constructor(wantMode: boolean, wantMedian: boolean, seed: number, boolean: boolean) {
    this.counts = wantMode ? new Map() : null
    this.small = wantMode ? new Float64Array(2048) : null
    // The mode falls back to the sample once there are too many distinct values to count; a
    // boolean's values are 0 and 1 only, so its counts never give up and its mode needs no sample.
    this.sampled = wantMedian || (wantMode && !boolean)
    this.randomState = seed >>> 0
  }

  /**
   * Adds each value col[rows[r]], r < n, that is not missing: the running moments (addMoments),
   * then the mode's counts and the median's sample when kept.
   */
  addColumn(col: Float32Array, rows: Uint32Array, n: number): void {
    addMoments(this, col, rows, n)
    if (this.counts || this.sampled) this.addCounted(col, rows, n)
  }

  /** The mode's counts and/or the median's reservoir of the values addColumn adds (its state in locals through the loop). */
  private addCounted(col: Float32Array, rows: Uint32Array, n: number): void {
    let { counts, small, distinct, seen, randomState } = this
    const { sample, sampled } = this
    for (let r = 0; r < n; r++) {
      const x = col[rows[r]]
      if (x !== x) continue
      if (counts) {
        if (x >= -1024 && x < 1024 && x === Math.floor(x)) {
          // -0 counts as 0, as it does as a Map key.
          if ((small as Float64Array)[x + 1024]++ === 0) distinct++
        } else {
          const c = counts.get(x)
          if (c === undefined) distinct++
          counts.set(x, (c ?? 0) + 1)
        }
        if (distinct > MODE_DISTINCT_MAX) {
          counts = null
          small = null
        }
      }
      if (!sampled) continue
      // Reservoir sampling (algorithm R) keeps a uniform sample for the median.
      seen++
      if (sample.length < MEDIAN_SAMPLE) sample.push(x)
      else {
        randomState = nextRandomState(randomState)
        const j = Math.floor(randomOfState(randomState) * seen)
        if (j < MEDIAN_SAMPLE) sample[j] = x
      }
    }
    this.counts = counts
    this.small = small
    this.distinct = distinct
    this.seen = seen
    this.randomState = randomState
  }

  median(): number {
    if (this.sample.length === 0) return 0
    const s = Float64Array.from(this.sample).sort()
    const m = s.length >> 1
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
  }

  mode(): number {
    let best = 0
    let bestCount = -1
    const counts = this.counts ?? countValues(this.sample)
    for (const [v, c] of counts) if (c > bestCount || (c === bestCount && v < best)) [best, bestCount] = [v, c]
    const small = this.counts ? this.small : null
    if (small) {
      for (let k = 0; k < small.length; k++) {
        const c = small[k]
        const v = k - 1024
        if (c > 0 && (c > bestCount || (c === bestCount && v < best))) [best, bestCount] = [v, c]
      }
    }
    return bestCount < 0 ? 0 : best
  }
}

function countValues(xs: number[]): Map<number, number> {
  const m = new Map<number, number>()
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1)
  return m
}

/**
 * Fits the recipe on the training rows, fed one row at a time from the encoded chunk columns
 * (float32 values or category codes, by storage slot). Rows that the recipe drops (missing
 * target, or a missing value in a column set to 'drop') are left out of the fit exactly as they
 * are left out of training.
 */
export class RecipeFitter {
  rows = 0
  private readonly numeric: (NumericFit | null)[]
  private readonly catCounts: (Float64Array | null)[]
  /** Token counts of tokenized text features (the whole training vocabulary; chosen at finish). */
  private readonly tokenCounts: (Map<string, number> | null)[]
  private readonly drop: DropCheck

  constructor(
    private readonly spec: ResolvedSpec,
    private readonly slots: Int32Array,
    /** How numbers and dates are written (kept in the recipe for text given at prediction time). */
    private readonly format: CellFormatSpec,
    /** Classification targets: the class names in label order (all classes of the file). */
    private readonly classes: string[] | undefined,
    seed: number,
  ) {
    // One generator per feature: rows are added a column at a time per chunk, so a shared stream
    // would interleave two sampled columns' draws by chunk size, and a file read in two parts
    // (other chunk boundaries) would get another median.
    this.numeric = spec.features.map((f, k) =>
      f.column.type === 'categorical' || f.transform === 'tokens' ? null : new NumericFit(f.missing === 'mode', f.missing === 'median', seed ^ 0x5bd1e995 ^ Math.imul(k + 1, 0x9e3779b1), f.column.type === 'boolean'),
    )
    this.tokenCounts = spec.features.map((f) => (f.transform === 'tokens' ? new Map<string, number>() : null))
    this.catCounts = spec.features.map((f) => (f.column.type === 'categorical' ? new Float64Array(f.column.categories?.length ?? 0) : null))
    this.drop = {
      target: spec.target ? { slot: slots[spec.target.column.index], categorical: spec.target.column.type === 'categorical' } : null,
      columns: spec.features
        .filter((f) => f.missing === 'drop')
        .map((f) => ({ slot: slots[f.column.index], categorical: f.column.type === 'categorical' || f.transform === 'tokens' })),
    }
  }

  /**
   * Adds the first n of `rows` (indices into a chunk whose stored columns are `cols`): one
   * column at a time, which keeps each loop tight over one array.
   */
  addRows(cols: readonly (Float32Array | Int32Array)[], rows: Uint32Array, n: number): void {
    // One column's check at a time (a row stays when every check passes): the rows kept, and
    // their order, are isRowDropped's.
    const { target, columns } = this.drop
    let kept = n
    if (target) kept = keepPresent(cols[target.slot], target.categorical, rows, kept)
    for (const c of columns) kept = keepPresent(cols[c.slot], c.categorical, rows, kept)
    this.rows += kept
    const feats = this.spec.features
    for (let k = 0; k < feats.length; k++) {
      const col = cols[this.slots[feats[k].column.index]]
      const nf = this.numeric[k]
      const tc = this.tokenCounts[k]
      if (tc) {
        const texts = (col as TextColumn).texts
        for (let r = 0; r < kept; r++) countTokens(texts[rows[r]], tc)
      } else if (nf) {
        nf.addColumn(col as Float32Array, rows, kept)
      } else {
        countCodes(col as Int32Array, rows, kept, this.catCounts[k] as Float64Array)
      }
    }
  }

  /** The fitted recipe. */
  finish(): Recipe {
    const steps: FittedStep[] = []
    const names: string[] = []
    this.spec.features.forEach((f, k) => {
      const nf = this.numeric[k]
      const tc = this.tokenCounts[k]
      if (tc) {
        const vocabSize = f.vocabSize as number
        const sequenceLength = f.sequenceLength as number
        steps.push({ kind: 'tokens', column: f.column.name, source: f.column.index, transform: 'tokens', missing: f.missing, vocabSize, sequenceLength, vocabulary: chooseVocabulary(tc, vocabSize), width: sequenceLength })
        for (let i = 0; i < sequenceLength; i++) names.push(`${f.column.name}[${i}]`)
        return
      }
      if (nf) {
        const std = nf.count > 0 ? Math.sqrt(nf.m2 / nf.count) : 0
        const mean = nf.count > 0 ? nf.mean : 0
        const min = nf.count > 0 ? nf.min : 0
        const max = nf.count > 0 ? nf.max : 0
        const [center, scale] =
          f.transform === 'standardize' ? [mean, std > 0 ? std : 1] : f.transform === 'minmax' ? [min, max > min ? max - min : 1] : [0, 1]
        const fill =
          f.missing === 'mean' ? mean : f.missing === 'median' ? nf.median() : f.missing === 'mode' ? nf.mode() : f.missing === 'constant' ? Number(f.constant) : 0
        steps.push({
          kind: 'numeric',
          column: f.column.name,
          source: f.column.index,
          valueType: f.column.type as 'integer' | 'float' | 'boolean' | 'date',
          transform: f.transform as 'standardize' | 'minmax' | 'none',
          missing: f.missing,
          center,
          scale,
          fill,
          width: 1,
        })
        names.push(f.column.name)
        return
      }
      const counts = this.catCounts[k] as Float64Array
      const all = f.column.categories ?? []
      const order = all.map((_, i) => i).filter((i) => counts[i] > 0)
      order.sort((a, b) => counts[b] - counts[a] || (all[a] < all[b] ? -1 : all[a] > all[b] ? 1 : 0))
      const categories = order.map((i) => all[i])
      const fill = f.missing === 'mode' ? (categories[0] ?? null) : f.missing === 'constant' ? String(f.constant) : null
      const onehot = f.transform === 'onehot'
      steps.push({
        kind: 'categorical',
        column: f.column.name,
        source: f.column.index,
        transform: onehot ? 'onehot' : 'label',
        missing: f.missing,
        categories,
        fill,
        width: onehot ? categories.length : 1,
      })
      if (onehot) for (const c of categories) names.push(`${f.column.name}=${c}`)
      else names.push(f.column.name)
    })
    return {
      formatVersion: 1,
      decimal: this.format.decimal,
      ...(this.format.thousands ? { thousands: this.format.thousands } : {}),
      ...(this.format.dateOrder ? { dateOrder: this.format.dateOrder } : {}),
      target: this.fittedTarget(),
      steps,
      featureNames: names,
      width: names.length,
      fittedOn: { split: 'train', rows: this.rows },
    }
  }

  private fittedTarget(): FittedTarget | null {
    const t = this.spec.target
    if (!t) return null
    const out: FittedTarget = { column: t.column.name, source: t.column.index, task: t.task, valueType: t.column.type }
    if (t.task === 'classification') out.classes = this.classes ?? []
    return out
  }
}

/** Keeps, in order, the first n of `rows` whose value in col is present (a code >= 0, or a number); returns how many. */
function keepPresent(col: Float32Array | Int32Array, categorical: boolean, rows: Uint32Array, n: number): number {
  return categorical ? keepCoded(col as Int32Array, rows, n) : keepValued(col as Float32Array, rows, n)
}

// Separate loops per array type keep each one's element loads monomorphic.
function keepCoded(col: Int32Array, rows: Uint32Array, n: number): number {
  let kept = 0
  for (let r = 0; r < n; r++) {
    const i = rows[r]
    if (col[i] >= 0) rows[kept++] = i
  }
  return kept
}

function keepValued(col: Float32Array, rows: Uint32Array, n: number): number {
  let kept = 0
  for (let r = 0; r < n; r++) {
    const i = rows[r]
    const v = col[i]
    if (v === v) rows[kept++] = i
  }
  return kept
}

/** counts[code]++ for the category code of each of the first n of `rows` (missing, -1, not counted). */
function countCodes(col: Int32Array, rows: Uint32Array, n: number, counts: Float64Array): void {
  for (let r = 0; r < n; r++) {
    const v = col[rows[r]]
    if (v >= 0) counts[v]++
  }
}

/** Class names of a classification target in label order: numbers numerically, text alphabetically. */
export function targetClasses(col: ColumnSchema, distinctValues: readonly string[]): string[] {
  if (col.type === 'boolean') return ['false', 'true']
  // "+3" and "3" are one class: integer classes are normalised to their number's text.
  if (col.type === 'integer') return [...new Set(distinctValues.map((v) => String(Number(v))))].sort((a, b) => Number(a) - Number(b))
  return [...(col.categories ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}
