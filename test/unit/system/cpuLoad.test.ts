import { describe, expect, it } from 'vitest'
import { cpuSample, otherBusyCores, otherLoadFrom } from '../../../main/system/cpuLoad'

describe("other programs' CPU load", () => {
  it("is the machine's busy time less this process's own, per wall millisecond", () => {
    const a = { at: 1000, idle: [9_000, 9_000], total: [30_000, 30_000], ownMs: 2_000 }
    // 500 ms: core 0 busy throughout, core 1 for 400 ms; 400 ms of the 900 were this process's threads.
    expect(otherBusyCores(a, { at: 1500, idle: [9_000, 9_100], total: [30_500, 30_500], ownMs: 2_400 })).toBeCloseTo(1.0)
    // Only this process running: nothing left for others (and never below zero from clock granularity).
    expect(otherBusyCores(a, { at: 1500, idle: [9_120, 9_500], total: [30_500, 30_500], ownMs: 2_400 })).toBe(0)
    expect(otherBusyCores(a, { ...a })).toBeNaN()
    expect(otherBusyCores(a, { ...a, at: 1500, idle: [9_000], total: [30_500] })).toBeNaN()
  })

  it('never reads lower than the 1-minute average allows, and falls back to it', () => {
    expect(otherLoadFrom(0.1, 1.7)).toBe(0.1)
    expect(otherLoadFrom(1.9, 1.2)).toBe(1.2)
    expect(otherLoadFrom(Number.NaN, 1.2)).toBe(1.2)
  })

  it("counts this process's own busy time in the same unit as the machine's", () => {
    const a = cpuSample()
    const until = performance.now() + 200
    let x = 0
    while (performance.now() < until) x += Math.sqrt(x + 1)
    const b = cpuSample()
    expect(x).toBeGreaterThan(0)
    const own = b.ownMs - a.ownMs
    // This thread spun for 200 ms of wall time: some of it on a CPU, never more than the wall time
    // per thread of this process, and all of it inside the machine's busy time (10 ms clock ticks per core).
    expect(own).toBeGreaterThan(20)
    expect(own).toBeLessThan(200 * 8)
    const busy = b.total.reduce((s, t, k) => s + t - (a.total[k] as number) - ((b.idle[k] as number) - (a.idle[k] as number)), 0)
    expect(busy).toBeGreaterThan(own - 10 * 2 * b.total.length)
  })
})
