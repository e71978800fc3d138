// CPU load read off the cores' time counters, and other programs' load told apart from this
// app's own. The 1-minute load average counts every runnable thread, including this app's own (a
// training run that just ended, the import now starting) and lags a minute behind; deciding
// whether a second thread pays on it alone refuses the second core right after the app's own
// work. The counters over a short window say what is busy now.
import { cpus, loadavg } from 'node:os'

/** The cores' CPU time counters and this process's own CPU time, at one moment. */
export interface CpuSample {
  /** performance.now() when taken (ms). */
  at: number
  /** Per core: ms spent idle since boot. */
  idle: number[]
  /** Per core: ms counted in all (busy and idle) since boot. */
  total: number[]
  /** CPU time this process (every thread) used since it started (ms). */
  ownMs: number
}

/** Samples the cores' counters and this process's CPU time. */
export function cpuSample(): CpuSample {
  const cs = cpus()
  const u = process.cpuUsage()
  return {
    at: performance.now(),
    idle: cs.map((c) => c.times.idle),
    total: cs.map((c) => c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq),
    ownMs: (u.user + u.system) / 1000,
  }
}

/** Shortest window (ms of CPU time per core) spareCoresSince measures over: the counters tick every 10 ms. */
const MIN_WINDOW_MS = 40

/**
 * Cores left for a second thread of this process since `since`: all cores, less the one this
 * thread keeps busy, less what other processes used (this process's other threads do not count:
 * at the start of heavy work V8's background compiler and collector threads keep a core half busy
 * for a moment, which would refuse a core that is free). Null when too little time passed to
 * tell (the counters tick every 10 ms) or the cores changed.
 */
export function spareCoresSince(since: CpuSample, now: CpuSample = cpuSample()): number | null {
  if (now.total.length !== since.total.length || now.total.length === 0) return null
  let window = 0
  for (let k = 0; k < now.total.length; k++) window += (now.total[k] as number) - (since.total[k] as number)
  if (window / now.total.length < MIN_WINDOW_MS) return null
  const others = otherBusyCores(since, now)
  return Number.isFinite(others) ? now.total.length - 1 - others : null
}

/** Cores other processes kept busy between two samples (NaN when no time passed or the cores changed). */
export function otherBusyCores(a: CpuSample, b: CpuSample): number {
  const wall = b.at - a.at
  if (!(wall > 0) || a.total.length !== b.total.length) return NaN
  let busy = 0
  for (let k = 0; k < b.total.length; k++) busy += (b.total[k] as number) - (a.total[k] as number) - ((b.idle[k] as number) - (a.idle[k] as number))
  return Math.max(0, (busy - (b.ownMs - a.ownMs)) / wall)
}

/** Other programs' load from a window's measurement and the 1-minute average: the lower of the two (the average alone where the window says nothing). */
export function otherLoadFrom(windowCores: number, load1: number): number {
  return Number.isFinite(windowCores) ? Math.min(load1, windowCores) : load1
}

/**
 * Other programs' load now, measured over `windowMs` (this process's own threads left out),
 * capped by the 1-minute average so that a momentary lull in a steady load does not count as
 * free cores.
 */
export async function otherProgramsLoad(windowMs = 300): Promise<number> {
  const a = cpuSample()
  await new Promise((r) => setTimeout(r, windowMs))
  return otherLoadFrom(otherBusyCores(a, cpuSample()), loadavg()[0])
}
