// The live status line and progress bar of a run, as plain functions of its progress event.
import type { RunProgress, RunState } from '../../../common/contract'

/** Share of the run's batches done, in [0, 1]. */
export function progressFraction(p: RunProgress): number {
  const total = p.epochs * p.stepsPerEpoch
  if (!(total > 0)) return 0
  return Math.min(1, Math.max(0, (p.epoch * p.stepsPerEpoch + p.stepInEpoch) / total))
}

/**
 * The status line: where the run is, and for a running run its speed, learning rate and time
 * left. A paused run says so and shows no speed or ETA (nothing is moving).
 */
export function progressText(p: RunProgress, state: RunState): string {
  const where = `epoch ${p.epoch + 1}/${p.epochs} · step ${p.stepInEpoch}/${p.stepsPerEpoch}`
  if (state === 'paused') return `paused · ${where}`
  const eta = p.etaSeconds !== null ? ` · ETA ${Math.ceil(p.etaSeconds)} s` : ''
  return `${where} · ${Math.round(p.samplesPerSecond)} samples/s · lr ${p.learningRate.toPrecision(3)}${eta}`
}

