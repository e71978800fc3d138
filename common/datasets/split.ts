import { seededRandom, shuffleInPlace } from './prng'
import type { SplitName } from './types'

/** How to divide rows into train, validation and test. */
export interface SplitSpec {
  train: number
  validation: number
  test: number
  seed: number
  /** Keep each class's share in every split (classification targets only). */
  stratify: boolean
}

/** The split a dataset gets unless the person changes it. */
export const DEFAULT_SPLIT: SplitSpec = { train: 0.8, validation: 0.1, test: 0.1, seed: 42, stratify: true }

/** What split_json stores: the spec, what was stratified on, and how many rows each split got. */
export interface SplitRecord {
  spec: SplitSpec
  stratifiedBy: string | null
  counts: Record<SplitName, number>
  /** Per class (first 100 classes): rows in train, validation, test. */
  perClass?: Record<string, [number, number, number]>
}

/**
 * Exact counts for n rows: largest-remainder rounding of n * fraction, so they sum to n; a
 * non-empty group always gets at least one training row when training has a share.
 */
export function splitCounts(n: number, spec: Pick<SplitSpec, 'train' | 'validation' | 'test'>): [number, number, number] {
  const f = [spec.train, spec.validation, spec.test]
  const total = f[0] + f[1] + f[2]
  const exact = f.map((x) => (n * x) / total)
  const counts = exact.map(Math.floor)
  let left = n - counts[0] - counts[1] - counts[2]
  const order = [0, 1, 2].sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b)
  for (let k = 0; left > 0; k = (k + 1) % 3, left--) counts[order[k]]++
  if (n > 0 && counts[0] === 0 && f[0] > 0) {
    const from = counts[1] >= counts[2] ? 1 : 2
    counts[from]--
    counts[0]++
  }
  return [counts[0], counts[1], counts[2]]
}

/**
 * Assigns splits row by row in file order. Each stratum (a class, or all rows when not
 * stratified) gets its exact counts, shuffled with the seeded generator; the k-th row of a stratum
 * takes the k-th assignment. Memory: one byte per row.
 */
export class SplitPlan {
  private readonly plans: Uint8Array[]
  private readonly next: Int32Array
  readonly counts: [number, number, number] = [0, 0, 0]
  /** Per stratum: rows assigned to train, validation, test. */
  readonly perStratum: [number, number, number][]

  constructor(stratumSizes: readonly number[], spec: SplitSpec) {
    const random = seededRandom(spec.seed)
    this.perStratum = stratumSizes.map((n) => splitCounts(n, spec))
    this.plans = this.perStratum.map(([a, b, c]) => {
      const p = new Uint8Array(a + b + c)
      p.fill(1, a, a + b)
      p.fill(2, a + b)
      return shuffleInPlace(p, random)
    })
    this.next = new Int32Array(stratumSizes.length)
  }

  /** The split code (0 train, 1 validation, 2 test) of the next row of this stratum. */
  assign(stratum: number): number {
    const p = this.plans[stratum]
    const k = this.next[stratum]++
    // More rows than counted in pass 1 would mean the file changed between passes; import checks the hash.
    const code = k < p.length ? p[k] : 0
    this.counts[code]++
    return code
  }

  /**
   * assign() for rows 0..n of a chunk at once: out[i] gets the code of a row of stratum
   * strata[i], in row order, exactly as n assign() calls would. Returns how many went to train.
   */
  assignRows(strata: Int32Array, n: number, out: Uint8Array): number {
    const { plans, next } = this
    let train = 0
    let validation = 0
    for (let i = 0; i < n; i++) {
      const s = strata[i]
      const p = plans[s]
      const k = next[s]++
      const code = k < p.length ? p[k] : 0
      out[i] = code
      if (code === 0) train++
      else if (code === 1) validation++
    }
    this.counts[0] += train
    this.counts[1] += validation
    this.counts[2] += n - train - validation
    return train
  }
}
