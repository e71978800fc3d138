// The one rule for "does this model fit this dataset", shared by the Runs form, the Designer and main.
import { describe, expect, it } from 'vitest'
import { bindingChanges, dataFitProblems, dataShapeOf, defaultTargetTask, outputHeadFor, suggestedLossFor, type DataShape } from '../../../common/graph/dataFit'
import { applyChange } from '../../../common/graph/changes'
import { inferGraph } from '../../../common/graph/infer'
import { g } from '../../helpers/graphFixtures'

const mlp = (inputShape: number[], units: number, activation = 'softmax') =>
  g([['in', 'Input', { shape: inputShape }], ['h', 'Dense', { units: 8 }], ['out', 'Dense', { units, activation }]], [['in', 'h'], ['h', 'out']])
const three: DataShape = { inputShape: [4], kind: 'classification', classCount: 3 }

describe('dataFitProblems', () => {
  it('accepts a model shaped for the data', () => {
    expect(dataFitProblems(mlp([4], 3), three, 'categoricalCrossentropy')).toEqual([])
    expect(dataFitProblems(mlp([4], 3), three)).toEqual([])
  })

  it('names the Input to change and the shape to set', () => {
    const [p] = dataFitProblems(mlp([5], 3), three)
    expect(p).toMatchObject({ part: 'input', nodeId: 'in' })
    expect(p.message).toContain('set the Input shape to [4]')
  })

  it('names the output units for classes, and the loss when it cannot work', () => {
    expect(dataFitProblems(mlp([4], 1, 'sigmoid'), three, 'categoricalCrossentropy')[0]).toMatchObject({ part: 'output', nodeId: 'out' })
    expect(dataFitProblems(mlp([4], 3), three, 'binaryCrossentropy')[0]).toMatchObject({ part: 'loss' })
    const regression: DataShape = { inputShape: [4], kind: 'regression', classCount: 0 }
    expect(dataFitProblems(mlp([4], 1, 'linear'), regression, 'categoricalCrossentropy')[0].message).toMatch(/regression/)
    expect(dataFitProblems(mlp([4], 2, 'linear'), regression)[0].message).toMatch(/1 output unit/)
  })

  it('without a loss (the Designer), a 2-class model may have 1 sigmoid or 2 softmax units', () => {
    const two: DataShape = { inputShape: [4], kind: 'classification', classCount: 2 }
    expect(dataFitProblems(mlp([4], 1, 'sigmoid'), two)).toEqual([])
    expect(dataFitProblems(mlp([4], 2), two)).toEqual([])
    expect(dataFitProblems(mlp([4], 3), two)).toHaveLength(1)
  })

  it('a bound model that stops fitting gets E019 issues from inference', () => {
    const issues = inferGraph(mlp([5], 3), { data: { shape: three, label: 'cars v1' } }).issues
    expect(issues.map((i) => i.code)).toEqual(['E019'])
    expect(issues[0].message).toMatch(/^Does not fit cars v1: /)
    expect(inferGraph(mlp([4], 3), { data: { shape: three, label: 'cars v1' } }).issues).toEqual([])
  })
})

describe('binding and defaults', () => {
  it('reads an image set and a table, and says why a table without a target cannot train', () => {
    expect(dataShapeOf({ datasetName: 'pets', version: 1, schema: { kind: 'image', height: 8, width: 6, channels: 3, classes: ['cat', 'dog'] }, recipe: null })).toEqual({ ok: true, shape: { inputShape: [8, 6, 3], kind: 'classification', classCount: 2 } })
    const recipe = { width: 12, target: { task: 'classification' as const, classes: ['a', 'b', 'c'] }, steps: [{ kind: 'tokens', vocabSize: 500 }, { kind: 'standardize' }] }
    expect(dataShapeOf({ datasetName: 't', version: 2, schema: { kind: 'tabular' }, recipe })).toEqual({ ok: true, shape: { inputShape: [12], kind: 'classification', classCount: 3, vocabSize: 500 } })
    expect(dataShapeOf({ datasetName: 't', version: 2, schema: { kind: 'tabular' }, recipe: { ...recipe, target: null } })).toEqual({ ok: false, message: 'Dataset "t" v2 has no target column; choose one before training.' })
  })

  it('binding shapes the Input and the output head so the model fits', () => {
    let graph = mlp([9], 7)
    for (const c of bindingChanges(graph, three)) graph = applyChange(graph, c).graph
    expect(dataFitProblems(graph, three, suggestedLossFor(three))).toEqual([])
    expect(outputHeadFor({ kind: 'classification', classCount: 2 })).toEqual({ units: 1, activation: 'sigmoid' })
    expect(suggestedLossFor({ kind: 'classification', classCount: 2 })).toBe('binaryCrossentropy')
    expect(suggestedLossFor({ kind: 'regression', classCount: 0 })).toBe('meanSquaredError')
  })

  it('a target column implies classes for categories and few integers, a number otherwise', () => {
    expect(defaultTargetTask('categorical', 40)).toBe('classification')
    expect(defaultTargetTask('integer', 5)).toBe('classification')
    expect(defaultTargetTask('integer', 21)).toBe('regression')
    expect(defaultTargetTask('integer', -1)).toBe('regression')
    expect(defaultTargetTask('float', 3)).toBe('regression')
  })
})
