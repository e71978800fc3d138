import { describe, expect, it } from 'vitest'
import { secondCoreFree } from '../../../main/datasets/csv/splitRead'
import { spareCoresSince } from '../../../main/system/cpuLoad'

describe('a CSV read is split only onto a free core', () => {
  it('splits on two idle cores or with this import alone running, not when others keep the cores busy', () => {
    expect(secondCoreFree(2, 0.1)).toBe(true)
    expect(secondCoreFree(2, 1.2)).toBe(true)
    expect(secondCoreFree(2, 1.8)).toBe(false)
    expect(secondCoreFree(2, 6.5)).toBe(false)
    expect(secondCoreFree(16, 6.5)).toBe(true)
  })

  it('judges by the cores left over while the import started, when that was long enough to measure', () => {
    // The minute's load still counts work that just ended; a core measured idle now is free.
    expect(secondCoreFree(2, 1.9, 1.2)).toBe(true)
    // A low minute's load, but the other core is busy right now.
    expect(secondCoreFree(2, 0.2, 0.1)).toBe(false)
    expect(secondCoreFree(2, 0.2, 0.5)).toBe(true)
    expect(secondCoreFree(1, 0, 1)).toBe(false)
    // Too short to tell: the minute's load decides.
    expect(secondCoreFree(2, 1.9, null)).toBe(false)
  })

  it("measures spare cores from two samples: all cores less this thread's and other programs' use", () => {
    const since = { at: 0, ownMs: 0, idle: [1000, 2000], total: [5000, 6000] }
    // 100 ms: core 0 busy 100 ms (this thread), core 1 busy 20 ms by another program: 0.8 spare.
    expect(spareCoresSince(since, { at: 100, ownMs: 100, idle: [1000, 2080], total: [5100, 6100] })).toBeCloseTo(0.8)
    // This process's other threads (V8's compiler and collector at start) do not count against it.
    expect(spareCoresSince(since, { at: 100, ownMs: 170, idle: [1000, 2030], total: [5100, 6100] })).toBeCloseTo(1)
    // Another program keeps core 1 busy: nothing spare.
    expect(spareCoresSince(since, { at: 100, ownMs: 100, idle: [1000, 2000], total: [5100, 6100] })).toBeCloseTo(0)
    // Under 40 ms a core: the 10 ms ticks cannot tell.
    expect(spareCoresSince(since, { at: 20, ownMs: 20, idle: [1010, 2000], total: [5020, 6020] })).toBeNull()
    expect(spareCoresSince(since, { at: 100, ownMs: 100, idle: [1100], total: [5100] })).toBeNull()
  })

  it('never splits on one core', () => {
    expect(secondCoreFree(1, 0)).toBe(false)
  })
})
