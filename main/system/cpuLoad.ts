// Other programs' CPU load, told apart from this app's own. The 1-minute load average counts
// every runnable thread, including this app's own (a training run that just ended, the import
// now starting) and lags a minute behind; deciding whether a second thread pays on it alone
// refuses the second core right after the app's own work. Busy CPU time of the whole machine
// over a short window, less this process's own CPU time over the same window, is what others use
// now; it is capped by the load average so that a momentary lull in a steady load does not count
// as free cores.
import { cpus, loadavg } from 'node:os'

/** The machine's busy CPU time and this process's own (all its threads), at one moment. */
export interface CpuSample {
  /** performance.now() when taken (ms). */
  at: number
  /** CPU time all cores spent busy since boot (ms). */
  busyMs: number
  /** CPU time this process (every thread) used since it started (ms). */
  ownMs: number
}

/** Samples the machine's and this process's CPU time. */
export function sampleCpu(): CpuSample {
  let busy = 0
  for (const c of cpus()) busy += c.times.user + c.times.nice + c.times.sys + c.times.irq
  const u = process.cpuUsage()
  return { at: performance.now(), busyMs: busy, ownMs: (u.user + u.system) / 1000 }
}

/** Cores other processes kept busy between two samples (NaN when no time passed). */
export function otherBusyCores(a: CpuSample, b: CpuSample): number {
  const wall = b.at - a.at
  if (!(wall > 0)) return NaN
  return Math.max(0, (b.busyMs - a.busyMs - (b.ownMs - a.ownMs)) / wall)
}

/** Other programs' load from a window's measurement and the 1-minute average: the lower of the two (the average alone where the window says nothing). */
export function otherLoadFrom(windowCores: number, load1: number): number {
  return Number.isFinite(windowCores) ? Math.min(load1, windowCores) : load1
}

/** Other programs' load now, measured over `windowMs` (this process's own threads left out). */
export async function otherProgramsLoad(windowMs = 300): Promise<number> {
  const a = sampleCpu()
  await new Promise((r) => setTimeout(r, windowMs))
  return otherLoadFrom(otherBusyCores(a, sampleCpu()), loadavg()[0])
}
