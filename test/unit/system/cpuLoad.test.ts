import { describe, expect, it } from 'vitest'
import { otherBusyCores, otherLoadFrom, sampleCpu } from '../../../main/system/cpuLoad'

describe("other programs' CPU load", () => {
  it("is the machine's busy time less this process's own, per wall millisecond", () => {
    const a = { at: 1000, busyMs: 50_000, ownMs: 2_000 }
    // 500 ms: the machine was busy 900 ms of CPU time, 400 ms of it this process's threads.
    expect(otherBusyCores(a, { at: 1500, busyMs: 50_900, ownMs: 2_400 })).toBeCloseTo(1.0)
    // Only this process running: nothing left for others (and never below zero from clock granularity).
    expect(otherBusyCores(a, { at: 1500, busyMs: 50_380, ownMs: 2_400 })).toBe(0)
    expect(otherBusyCores(a, { ...a })).toBeNaN()
  })

  it('never reads lower than the 1-minute average allows, and falls back to it', () => {
    expect(otherLoadFrom(0.1, 1.7)).toBe(0.1)
    expect(otherLoadFrom(1.9, 1.2)).toBe(1.2)
    expect(otherLoadFrom(Number.NaN, 1.2)).toBe(1.2)
  })

  it("counts this process's own busy time in the same unit as the machine's", () => {
    const a = sampleCpu()
    const until = performance.now() + 200
    let x = 0
    while (performance.now() < until) x += Math.sqrt(x + 1)
    const b = sampleCpu()
    expect(x).toBeGreaterThan(0)
    const own = b.ownMs - a.ownMs
    // This thread spun for 200 ms of wall time: some of it on a CPU, never more than the wall time
    // per thread of this process, and all of it inside the machine's busy time (10 ms clock ticks per core).
    expect(own).toBeGreaterThan(20)
    expect(own).toBeLessThan(200 * 8)
    expect(b.busyMs - a.busyMs).toBeGreaterThan(own - 10 * 2 * 2)
  })
})
