/** What an import reports while it runs; the UI shows rows or files done, rate and time left. */
export interface ImportProgress {
  /** The file or folder being imported. */
  source: string
  /** scanning: listing files; profiling: CSV pass 1 (reading, typing); encoding: building chunks; writing: the final transaction. */
  phase: 'scanning' | 'profiling' | 'encoding' | 'writing' | 'done'
  /** Rows (CSV) or files (images) finished in the current phase. */
  itemsDone: number
  /** Total rows or files of the phase when known, else null. */
  itemsTotal: number | null
  /** Bytes of the source read so far. */
  bytesDone: number
  /** Bytes of the source. */
  bytesTotal: number
  /** Rows or files per second in the current phase. */
  itemsPerSecond: number
  /** Source bytes per second since the start. */
  bytesPerSecond: number
  /** Fraction of the whole import done, 0..1. */
  fraction: number
  /** Seconds left, extrapolated from the fraction done so far; null until there is progress. */
  etaSeconds: number | null
}

/** A progress callback (throttled: at most one call per interval, plus one at each phase change). */
export type ProgressListener = (p: ImportProgress) => void

/** Turns raw counters into throttled ImportProgress events with rates and an ETA. */
export class ProgressTracker {
  private readonly started = performance.now()
  private phaseStarted = performance.now()
  private lastEmit = -Infinity
  private phase: ImportProgress['phase'] = 'scanning'
  private itemsTotal: number | null = null

  constructor(
    private readonly source: string,
    private readonly bytesTotal: number,
    private readonly listener: ProgressListener | undefined,
    private readonly intervalMs = 100,
  ) {}

  /** Starts a phase (always reported); its item counter and rate restart. */
  setPhase(phase: ImportProgress['phase'], itemsTotal: number | null, bytesDone: number, fraction: number): void {
    this.phase = phase
    this.itemsTotal = itemsTotal
    this.phaseStarted = performance.now()
    this.emit(0, bytesDone, fraction)
  }

  /** Reports counters; emitted only when the interval has passed. */
  update(itemsDone: number, bytesDone: number, fraction: number): void {
    if (!this.listener || performance.now() - this.lastEmit < this.intervalMs) return
    this.emit(itemsDone, bytesDone, fraction)
  }

  private emit(itemsDone: number, bytesDone: number, fraction: number): void {
    if (!this.listener) return
    const now = performance.now()
    this.lastEmit = now
    const elapsed = Math.max(1e-3, (now - this.started) / 1000)
    const f = this.phase === 'done' ? 1 : Math.max(0, Math.min(1, fraction))
    this.listener({
      source: this.source,
      phase: this.phase,
      itemsDone,
      itemsTotal: this.itemsTotal,
      bytesDone,
      bytesTotal: this.bytesTotal,
      itemsPerSecond: itemsDone / Math.max(1e-3, (now - this.phaseStarted) / 1000),
      bytesPerSecond: bytesDone / elapsed,
      fraction: f,
      etaSeconds: f >= 1 ? 0 : f > 0.001 ? (elapsed * (1 - f)) / f : null,
    })
  }
}
