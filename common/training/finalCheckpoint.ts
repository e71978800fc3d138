// Which stored checkpoint is "the run's model": plain data in, so the Runs section can open the
// final evaluation without asking main (the same rule as checkpoint.ts's finalCheckpointId).

/** The fields of a checkpoint the rule reads. */
export interface CheckpointRef {
  id: number
  step: number
  isBest: boolean
}

/**
 * The checkpoint a finished run's model is: the newest best one when the run restores its best
 * weights, else the newest (highest step, then highest id). Null when there is none.
 */
export function pickFinalCheckpoint<T extends CheckpointRef>(checkpoints: readonly T[], restoreBest: boolean): T | null {
  const newest = (list: readonly T[]) => list.reduce<T | null>((a, c) => (a === null || c.step > a.step || (c.step === a.step && c.id > a.id) ? c : a), null)
  return (restoreBest ? newest(checkpoints.filter((c) => c.isBest)) : null) ?? newest(checkpoints)
}
