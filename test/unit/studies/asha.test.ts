import { describe, expect, it } from 'vitest'
import { ashaDecision, rungEpochs } from '../../../main/studies/asha'

describe('ASHA', () => {
  it('puts rungs at minEpochs * eta^k below the full budget', () => {
    expect(rungEpochs({ minEpochs: 1, eta: 3, maxEpochs: 27 })).toEqual([1, 3, 9])
    expect(rungEpochs({ minEpochs: 2, eta: 2, maxEpochs: 10 })).toEqual([2, 4, 8])
    expect(rungEpochs({ minEpochs: 5, eta: 3, maxEpochs: 5 })).toEqual([])
  })

  it('promotes the first trials at a rung, then keeps only the top 1/eta', () => {
    expect(ashaDecision(0.9, [], 3, 'min')).toBe('continue')
    expect(ashaDecision(0.9, [0.1], 3, 'min')).toBe('continue')
    // Three at the rung: only the best one continues.
    expect(ashaDecision(0.9, [0.1, 0.5], 3, 'min')).toBe('stop')
    expect(ashaDecision(0.05, [0.1, 0.5], 3, 'min')).toBe('continue')
    // Maximizing flips the order.
    expect(ashaDecision(0.9, [0.1, 0.5], 3, 'max')).toBe('continue')
    expect(ashaDecision(0.3, [0.1, 0.5], 3, 'max')).toBe('stop')
    // Six at the rung, eta 2: the best three continue; a tie with the cutoff continues.
    expect(ashaDecision(0.3, [0.1, 0.2, 0.3, 0.4, 0.5], 2, 'min')).toBe('continue')
    expect(ashaDecision(0.35, [0.1, 0.2, 0.3, 0.4, 0.5], 2, 'min')).toBe('stop')
  })

  it('stops a trial whose objective is not a number', () => {
    expect(ashaDecision(NaN, [], 3, 'min')).toBe('stop')
  })
})
