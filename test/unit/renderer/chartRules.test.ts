import { describe, expect, it } from 'vitest'
import { EPOCH_INCREMENTS, epochNumber, needsPoints, xRange, xScaleRange } from '../../../renderer/src/charts/axes'
import { chartGroups, isLossMetric } from '../../../renderer/src/compare/scaleGroups'
import { buildPlotData, longestSeries } from '../../../renderer/src/compare/plotData'
import { progressFraction, progressText } from '../../../renderer/src/runs/progress'
import { finalMetrics, hyperparameterList } from '../../../renderer/src/runs/RunSummaryPanel'
import { binText, numericStatsText } from '../../../renderer/src/datasets/statsText'
import { niceTicks, sharedRange } from '../../../renderer/src/runs/PredictedVsActual'
import type { RunProgress, RunSeries, TrainConfig } from '../../../common/contract'

describe('epoch axes', () => {
  it('count epochs from 1 and tick whole epochs only', () => {
    expect(epochNumber(0)).toBe(1)
    expect(EPOCH_INCREMENTS.every((v) => Number.isInteger(v) && v >= 1)).toBe(true)
  })
  it('give a lone point a range around it instead of a zero-width axis', () => {
    expect(xRange(1, 1, 1)).toEqual([0.5, 1.5])
    expect(xRange(1, 2, 1)).toEqual([1, 2])
    expect(xRange(null, null)).toEqual([0, 1])
  })
  it('read a lone x from the data, since uPlot pads it to 0..2 before asking', () => {
    expect(xScaleRange(1)({ data: [[1]] }, 0, 2)).toEqual([0.5, 1.5])
    expect(xScaleRange(1)({ data: [[1, 2]] }, 1, 2)).toEqual([1, 2])
  })
  it('draw dots on sparse lines only', () => {
    expect(needsPoints(1)).toBe(true)
    expect(needsPoints(500)).toBe(false)
  })
})

const series = (runId: number, x: number[], y: number[]): RunSeries => ({ runId, metric: 'loss', x, y, total: x.length, downsampled: false, nonFinite: { nan: 0, posInf: 0, negInf: 0, firstStep: null } }) as unknown as RunSeries

describe('Compare plot data on an epoch axis', () => {
  it('shifts stored 0-based epochs to 1-based, best point included', () => {
    const d = buildPlotData([series(1, [0, 1], [0.9, 0.5])], { goal: 'min', smoothing: 0, logY: false, xShift: 1 })
    expect(d.x).toEqual([1, 2])
    expect(d.best[0]).toEqual({ x: 2, y: 0.5 })
  })
  it('measures the longest series for automatic smoothing', () => {
    expect(longestSeries([series(1, [0, 1], [1, 2]), series(2, [0, 1, 2], [1, 2, 3])])).toBe(3)
  })
})

describe('chartGroups: losses of different loss functions are not drawn on one axis', () => {
  const lossOf = { 1: 'meanSquaredError', 2: 'categoricalCrossentropy', 3: 'meanSquaredError' }
  it('splits loss metrics by loss function, keeping run order', () => {
    expect(chartGroups('val_loss', [1, 2, 3], lossOf)).toEqual([
      { label: 'meanSquaredError', runIds: [1, 3] },
      { label: 'categoricalCrossentropy', runIds: [2] },
    ])
  })
  it('keeps one chart for other metrics and for runs sharing a loss', () => {
    expect(chartGroups('accuracy', [1, 2], lossOf)).toEqual([{ label: '', runIds: [1, 2] }])
    expect(chartGroups('loss', [1, 3], lossOf)).toEqual([{ label: '', runIds: [1, 3] }])
  })
  it('puts runs of unknown loss in the first group', () => {
    expect(chartGroups('loss', [1, 9, 2], lossOf)[0]).toEqual({ label: 'meanSquaredError', runIds: [9, 1] })
  })
  it('knows which metrics are losses', () => {
    expect(['loss', 'val_loss', 'batch_loss'].every(isLossMetric)).toBe(true)
    expect(['accuracy', 'mae', 'lossy_metric'].some(isLossMetric)).toBe(false)
  })
})

describe('run progress', () => {
  const p: RunProgress = { runId: 1, epoch: 1, epochs: 4, step: 30, stepInEpoch: 5, stepsPerEpoch: 10, batchLoss: 0.3, samplesPerSecond: 812.4, etaSeconds: 12.2, learningRate: 0.001 }
  it('reports the share of batches done', () => {
    expect(progressFraction(p)).toBeCloseTo(15 / 40, 12)
    expect(progressFraction({ ...p, stepsPerEpoch: 0 })).toBe(0)
  })
  it('shows speed and ETA while running', () => {
    expect(progressText(p, 'running')).toBe('epoch 2/4 · step 5/10 · 812 samples/s · lr 0.00100 · ETA 13 s')
  })
  it('says paused, with no speed or ETA, while paused', () => {
    const t = progressText(p, 'paused')
    expect(t.startsWith('paused · epoch 2/4')).toBe(true)
    expect(t).not.toMatch(/samples\/s|ETA/)
  })
})

describe('run summary', () => {
  it('lists the final value of each per-epoch metric, not the batch loss', () => {
    const pt = (value: number) => ({ step: 1, epoch: 0, value, wallTime: 0 })
    expect(finalMetrics({ loss: [pt(2), pt(1)], batch_loss: [pt(5)], epoch_seconds: [pt(1)], lr: [pt(0.1)], val_loss: [pt(3)], mae: [] })).toEqual([
      ['loss', 1],
      ['val_loss', 3],
    ])
  })
  it('words the hyperparameters', () => {
    const c = { optimizer: 'adam', learningRate: 0.01, momentum: 0.9, schedule: { kind: 'step', everyEpochs: 5, factor: 0.5 }, batchSize: 32, epochs: 10, loss: 'meanSquaredError', earlyStopping: null, seed: 1, backend: 'auto', keepCheckpoints: 3 } as TrainConfig
    const m = new Map(hyperparameterList(c))
    expect(m.get('schedule')).toBe('× 0.5 every 5 epochs')
    expect(m.get('early stopping')).toBe('off')
    expect(m.get('loss')).toBe('meanSquaredError')
  })
})

describe('date statistics', () => {
  const stats = { count: 3, missing: 0, unique: 3, uniqueCapped: false, min: 19723, max: 19725, mean: 19724, std: 1.2, top: [], histogram: null }
  it('read as dates, the spread in days', () => {
    expect(numericStatsText('date', stats)).toBe(' · from 2024-01-01 to 2024-01-03 · mean 2024-01-02 · std 1 day')
    expect(binText('date', 19723, 19724)).toBe('2024-01-01 – 2024-01-02')
  })
  it('leave numbers as numbers', () => {
    expect(numericStatsText('float', stats)).toBe(' · min 19723 · max 19725 · mean 19724 · std 1.2')
  })
})

describe('predicted-vs-actual axes', () => {
  it('share one padded range so the diagonal is at 45°, and tick at round values', () => {
    expect(sharedRange([0, 10], [5])).toEqual([-0.5, 10.5])
    expect(sharedRange([3], [3])).toEqual([2, 4])
    expect(niceTicks(-0.628, 36.1)).toEqual([0, 10, 20, 30])
    expect(niceTicks(0.12, 0.5)).toEqual([0.2, 0.3, 0.4, 0.5])
  })
})
