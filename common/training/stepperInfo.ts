// How a run's optimizer steps ran: stored with the backend record and shown beside the backend.

/** The stepper a run trained with, on how many threads, and why it was chosen. */
export interface StepperInfo {
  /** The stepper's name ('tfjs-layers', 'data-parallel', ...). */
  label: string
  /** Threads the steps ran on. */
  threads: number
  /** Why this stepper (or why not a faster one), in words. */
  reason: string | null
}

/** The stepper in a few words for the backend chip, e.g. "2 threads (data-parallel)" or "1 thread". */
export function stepperSummary(s: StepperInfo): string {
  const threads = s.threads === 1 ? '1 thread' : `${s.threads} threads`
  return s.label === 'tfjs-layers' ? threads : `${threads} (${s.label})`
}
