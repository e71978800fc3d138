import { describe, expect, it } from 'vitest'
import { secondCoreFree } from '../../../main/datasets/csv/splitRead'
import { idleCoresSince } from '../../../main/system/cpuLoad'

describe('a CSV read is split only onto a free core', () => {
  it('splits on two idle cores or with this import alone running, not when others keep the cores busy', () => {
    expect(secondCoreFree(2, 0.1)).toBe(true)
    expect(secondCoreFree(2, 1.2)).toBe(true)
    expect(secondCoreFree(2, 1.8)).toBe(false)
    expect(secondCoreFree(2, 6.5)).toBe(false)
    expect(secondCoreFree(16, 6.5)).toBe(true)
  })

  it('judges by how idle the cores were while the import started, when that was long enough to measure', () => {
    // The minute's load still counts work that just ended; a core measured idle now is free.
    expect(secondCoreFree(2, 1.9, 1.2)).toBe(true)
    // A low minute's load, but the other core is busy right now.
    expect(secondCoreFree(2, 0.2, 0.1)).toBe(false)
    expect(secondCoreFree(2, 0.2, 0.5)).toBe(true)
    expect(secondCoreFree(1, 0, 1)).toBe(false)
    // Too short to tell: the minute's load decides.
    expect(secondCoreFree(2, 1.9, null)).toBe(false)
  })

  it('measures idle cores from two samples of the cores\' times', () => {
    const since = { at: 0, ownMs: 0, idle: [1000, 2000], total: [5000, 6000] }
    // Core 0 idle for 80 of 100 ms, core 1 busy throughout: 0.8 idle cores.
    expect(idleCoresSince(since, { at: 100, ownMs: 0, idle: [1080, 2000], total: [5100, 6100] })).toBeCloseTo(0.8)
    expect(idleCoresSince(since, { at: 100, ownMs: 0, idle: [1100, 2100], total: [5100, 6100] })).toBeCloseTo(2)
    // Under 40 ms a core: the 10 ms ticks cannot tell.
    expect(idleCoresSince(since, { at: 100, ownMs: 0, idle: [1010, 2000], total: [5020, 6020] })).toBeNull()
    expect(idleCoresSince(since, { at: 100, ownMs: 0, idle: [1100], total: [5100] })).toBeNull()
  })

  it('never splits on one core', () => {
    expect(secondCoreFree(1, 0)).toBe(false)
  })
})
