// How many of a study's trials train side by side. Trials are independent runs, so on a machine
// with idle cores running one per core multiplies a study's throughput by the core count, where
// splitting each trial's batches over the cores (data-parallel) gains 1.0-1.6x on the starting
// networks and nothing on small MLPs. Each trial then trains on its share of the cores.

/** Most trials 'auto' runs at once, whatever the core count (each holds a worker, a model and its batches). */
export const MAX_AUTO_TRIALS = 4

/** The setting: 'auto' (one trial per core) or a fixed count. */
export type TrialsAtOnceSetting = 'auto' | number

/** How many of a study's trials train at once on a machine with `cores` cores. */
export function trialsAtOnce(setting: TrialsAtOnceSetting, cores: number): number {
  if (setting === 'auto') return Math.max(1, Math.min(MAX_AUTO_TRIALS, Math.floor(cores)))
  return Math.max(1, Math.floor(setting))
}
