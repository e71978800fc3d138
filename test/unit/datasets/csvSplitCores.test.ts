import { describe, expect, it } from 'vitest'
import { secondCoreFree } from '../../../main/datasets/csv/splitRead'

describe('a CSV read is split only onto a free core', () => {
  it('splits on two idle cores or with this import alone running, not when others keep the cores busy', () => {
    expect(secondCoreFree(2, 0.1)).toBe(true)
    expect(secondCoreFree(2, 1.2)).toBe(true)
    expect(secondCoreFree(2, 1.8)).toBe(false)
    expect(secondCoreFree(2, 6.5)).toBe(false)
    expect(secondCoreFree(16, 6.5)).toBe(true)
  })

  it('never splits on one core', () => {
    expect(secondCoreFree(1, 0)).toBe(false)
  })
})
