/** ASHA's knobs: the first rung (epochs), the reduction factor, and the full budget per trial. */
export interface AshaSettings {
  minEpochs: number
  eta: number
  maxEpochs: number
}

/** The epochs at which trials are judged: minEpochs * eta^k, below maxEpochs. */
export function rungEpochs(s: AshaSettings): number[] {
  const out: number[] = []
  for (let r = Math.max(1, s.minEpochs); r < s.maxEpochs; r *= Math.max(2, s.eta)) out.push(Math.round(r))
  return out
}

/**
 * Asynchronous successive halving's stopping rule at one rung: a trial continues only if its value is
 * among the best floor(n / eta) of the n trials that have reached this rung so far (itself included).
 * The first trials to arrive always continue (no
 * evidence yet), which is what makes it asynchronous: nobody waits for a full bracket.
 */
export function ashaDecision(value: number, othersAtRung: readonly number[], eta: number, direction: 'min' | 'max'): 'continue' | 'stop' {
  if (!Number.isFinite(value)) return 'stop'
  const all = [...othersAtRung.filter((v) => Number.isFinite(v)), value].sort((a, b) => (direction === 'min' ? a - b : b - a))
  const keep = Math.floor(all.length / eta)
  // Fewer than eta trials here: too little to judge, so it is promoted.
  if (keep < 1) return 'continue'
  const cutoff = all[keep - 1]
  return direction === 'min' ? (value <= cutoff ? 'continue' : 'stop') : value >= cutoff ? 'continue' : 'stop'
}
