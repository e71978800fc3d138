import { describe, expect, it } from 'vitest'
import { axisPosition, axisTicks, jitter, objectiveColor, paramAxes, paramAxis, valueAxis } from '../../../common/studies/plotAxes'

describe('study plot axes', () => {
  it('gives a log-uniform parameter a log axis: each decade is an equal step', () => {
    const axis = paramAxis('learningRate', { kind: 'loguniform', min: 1e-4, max: 1e-1 })
    expect(axis.kind).toBe('log')
    expect(axisPosition(axis, 1e-4)).toBeCloseTo(0, 12)
    expect(axisPosition(axis, 1e-3)).toBeCloseTo(1 / 3, 12)
    expect(axisPosition(axis, 1e-2)).toBeCloseTo(2 / 3, 12)
    expect(axisPosition(axis, 1e-1)).toBeCloseTo(1, 12)
    // On a linear axis over the same range 1e-3 would sit at 0.009: the log axis spreads small rates out.
    expect(axisPosition({ key: 'lr', kind: 'linear', min: 1e-4, max: 1e-1 }, 1e-3)).toBeCloseTo(0.0009 / 0.0999, 12)
    expect(axisTicks(axis).map((t) => t.label)).toEqual(['0.0001', '0.001', '0.01', '0.1'])
    expect(axisPosition(axis, 0)).toBeNull()
  })

  it('gives a uniform parameter a linear axis, clamping values outside the range', () => {
    const axis = paramAxis('dropout_1.rate', { kind: 'uniform', min: 0, max: 0.6, integer: false })
    expect(axis.kind).toBe('linear')
    expect(axisPosition(axis, 0.15)).toBeCloseTo(0.25, 12)
    expect(axisPosition(axis, 0.9)).toBe(1)
    expect(axisPosition(axis, 'x')).toBeNull()
    expect(axisTicks(axis).map((t) => t.pos)).toEqual([0, 0.5, 1])
  })

  it('gives a choice a categorical axis: numbers in ascending order, words as given, evenly spaced', () => {
    const units = paramAxis('dense_1.units', { kind: 'choice', values: [256, 64, 128, 64] })
    expect(units).toMatchObject({ kind: 'categorical', categories: [64, 128, 256], labels: ['64', '128', '256'] })
    expect([64, 128, 256].map((v) => axisPosition(units, v))).toEqual([0, 0.5, 1])
    expect(axisPosition(units, 512)).toBeNull()
    const opt = paramAxis('optimizer', { kind: 'choice', values: ['sgd', 'adam'] })
    expect(axisPosition(opt, 'sgd')).toBe(0)
    expect(axisPosition(opt, 'adam')).toBe(1)
    const schedule = paramAxis('schedule', { kind: 'choice', values: [{ kind: 'none' }] })
    expect(axisPosition(schedule, { kind: 'none' })).toBe(0.5)
    expect(paramAxes({ learningRate: { kind: 'loguniform', min: 0.001, max: 0.1 }, optimizer: { kind: 'choice', values: ['adam'] } }).map((a) => [a.key, a.kind])).toEqual([
      ['learningRate', 'log'],
      ['optimizer', 'categorical'],
    ])
  })

  it('spans the objective values seen, padding a single value so it sits mid-axis', () => {
    expect(valueAxis('val_loss', [0.4, 0.2, NaN, 0.3])).toEqual({ key: 'val_loss', kind: 'linear', min: 0.2, max: 0.4 })
    expect(axisPosition(valueAxis('val_loss', [0.5]), 0.5)).toBeCloseTo(0.5, 12)
  })

  it('colours better objectives brighter whichever the direction, and jitters each trial the same way every time', () => {
    const bright = 'rgb(253, 231, 37)'
    const dark = 'rgb(68, 1, 84)'
    expect(objectiveColor(0.1, 0.1, 0.9, 'min')).toBe(bright)
    expect(objectiveColor(0.9, 0.1, 0.9, 'min')).toBe(dark)
    expect(objectiveColor(0.9, 0.1, 0.9, 'max')).toBe(bright)
    expect(objectiveColor(0.5, 0.1, 0.9, 'max')).toBe('rgb(33, 145, 140)')
    expect(jitter(3)).toBe(jitter(3))
    const offsets = [1, 2, 3, 4, 5, 6].map(jitter)
    expect(offsets.every((o) => o >= -1 && o <= 1)).toBe(true)
    expect(new Set(offsets).size).toBe(6)
  })
})
