import { describe, expect, it } from 'vitest'
import { applyParams, expandGrid, gridValues, sampleParams, sampleTrials, searchSpaceSchema, spaceProblems } from '../../../common/studies/space'
import { seededRandom } from '../../../common/datasets/prng'
import { trainConfigSchema } from '../../../common/contract'
import { g } from '../../helpers/graphFixtures'

const graph = g(
  [
    ['in', 'Input', { shape: [4] }, 'input_1'],
    ['r', 'Reshape', { targetShape: [2, 2] }, 'reshape_1'],
    ['f', 'Flatten', {}, 'flatten_1'],
    ['h', 'Dense', { units: 8 }, 'dense_1'],
    ['d', 'Dropout', { rate: 0.1 }, 'dropout_1'],
    ['out', 'Dense', { units: 3, activation: 'softmax' }, 'dense_2'],
  ],
  [['in', 'r'], ['r', 'f'], ['f', 'h'], ['h', 'd'], ['d', 'out']],
)
const base = trainConfigSchema.parse({
  optimizer: 'adam', learningRate: 0.01, schedule: { kind: 'none' }, batchSize: 16, epochs: 3, loss: 'categoricalCrossentropy', earlyStopping: null, seed: 1, backend: 'cpu',
})

describe('search space', () => {
  it('accepts config fields and layer params by layer name, and names every bad key', () => {
    const good = searchSpaceSchema.parse({ learningRate: { kind: 'loguniform', min: 1e-4, max: 1e-1 }, 'dense_1.units': { kind: 'choice', values: [64, 128] } })
    expect(spaceProblems(good, graph)).toEqual([])
    const bad = searchSpaceSchema.parse({
      colour: { kind: 'choice', values: [1] },
      'dense_9.units': { kind: 'choice', values: [1] },
      'dense_1.filters': { kind: 'choice', values: [1] },
      'dropout_1.rate': { kind: 'uniform', min: 0.6, max: 0 },
    })
    const problems = spaceProblems(bad, graph)
    expect(problems).toHaveLength(4)
    expect(problems[0]).toMatch(/"colour": not a training setting/)
    expect(problems[1]).toMatch(/no layer named "dense_9"/)
    expect(problems[2]).toMatch(/"dense_1.filters".*no parameter "filters"/)
    expect(problems[3]).toMatch(/min 0.6 is above max 0/)
    expect(spaceProblems({}, graph)[0]).toMatch(/empty/)
  })

  it('expands a grid to the full product, last key fastest', () => {
    const space = searchSpaceSchema.parse({ learningRate: { kind: 'choice', values: [0.1, 0.01] }, 'dense_1.units': { kind: 'choice', values: [4, 8, 16] } })
    const grid = expandGrid(space)
    expect(grid).toHaveLength(6)
    expect(grid[0]).toEqual({ learningRate: 0.1, 'dense_1.units': 4 })
    expect(grid[1]).toEqual({ learningRate: 0.1, 'dense_1.units': 8 })
    expect(grid[5]).toEqual({ learningRate: 0.01, 'dense_1.units': 16 })
    expect(new Set(grid.map((p) => JSON.stringify(p))).size).toBe(6)
  })

  it('spaces grid points of a log range evenly in log, and refuses a range without points', () => {
    const v = gridValues('lr', { kind: 'loguniform', min: 1e-4, max: 1e-1, gridPoints: 4 }) as number[]
    expect(v.map((x) => Math.log10(x))).toEqual([-4, -3, -2, -1].map((e) => expect.closeTo(e, 9)))
    expect(() => gridValues('lr', { kind: 'loguniform', min: 1e-4, max: 1e-1 })).toThrow(/"lr": a grid needs/)
    expect(() => expandGrid(searchSpaceSchema.parse({ a: { kind: 'uniform', min: 0, max: 1, gridPoints: 32 }, b: { kind: 'uniform', min: 0, max: 1, gridPoints: 32 }, c: { kind: 'uniform', min: 0, max: 1, gridPoints: 32 } }))).toThrow(/32768 combinations/)
  })

  it('samples the same values for the same seed, within range, log-uniform on a log scale', () => {
    const space = searchSpaceSchema.parse({
      learningRate: { kind: 'loguniform', min: 1e-5, max: 1e-1 },
      'dropout_1.rate': { kind: 'uniform', min: 0, max: 0.6 },
      batchSize: { kind: 'uniform', min: 8, max: 64, integer: true },
      optimizer: { kind: 'choice', values: ['adam', 'sgd', 'rmsprop'] },
    })
    const a = Array.from({ length: 5 }, ((r) => () => sampleParams(space, r))(seededRandom(7)))
    const b = Array.from({ length: 5 }, ((r) => () => sampleParams(space, r))(seededRandom(7)))
    expect(a).toEqual(b)
    expect(Array.from({ length: 5 }, ((r) => () => sampleParams(space, r))(seededRandom(8)))).not.toEqual(a)
    const r = seededRandom(3)
    const draws = Array.from({ length: 2000 }, () => sampleParams(space, r))
    for (const d of draws) {
      expect(d.learningRate as number).toBeGreaterThanOrEqual(1e-5)
      expect(d.learningRate as number).toBeLessThanOrEqual(1e-1)
      expect(Number.isInteger(d.batchSize)).toBe(true)
      expect(['adam', 'sgd', 'rmsprop']).toContain(d.optimizer)
    }
    // Log-uniform: each decade gets about a quarter of the draws; plain uniform would put ~90% in the top one.
    const top = draws.filter((d) => (d.learningRate as number) > 1e-2).length / draws.length
    expect(top).toBeGreaterThan(0.18)
    expect(top).toBeLessThan(0.32)
    expect(new Set(draws.map((d) => d.optimizer)).size).toBe(3)
  })

  it('draws a discrete space without replacement (seeded), and a continuous one with', () => {
    const discrete = searchSpaceSchema.parse({ a: { kind: 'choice', values: [1, 2, 3] }, b: { kind: 'choice', values: ['x', 'y'] } })
    const all = sampleTrials(discrete, 10, seededRandom(1))
    expect(all).toHaveLength(6)
    expect(new Set(all.map((p) => JSON.stringify(p))).size).toBe(6)
    expect(sampleTrials(discrete, 4, seededRandom(1))).toEqual(sampleTrials(discrete, 4, seededRandom(1)))
    expect(sampleTrials(discrete, 4, seededRandom(1))).not.toEqual(sampleTrials(discrete, 4, seededRandom(2)))
    const continuous = searchSpaceSchema.parse({ a: { kind: 'uniform', min: 0, max: 1 } })
    expect(sampleTrials(continuous, 10, seededRandom(1))).toHaveLength(10)
  })

  it('applies values to a copy of config and graph, and refuses bad combinations with the reason', () => {
    const ok = applyParams(base, graph, { learningRate: 0.001, 'dense_1.units': 32 })
    expect(ok.ok).toBe(true)
    if (ok.ok) {
      expect(ok.config.learningRate).toBe(0.001)
      expect(ok.graph.nodes.find((n) => n.name === 'dense_1')!.params.units).toBe(32)
    }
    expect(graph.nodes.find((n) => n.name === 'dense_1')!.params.units).toBe(8)
    const shape = applyParams(base, graph, { 'reshape_1.targetShape': [3, 2] })
    expect(shape).toMatchObject({ ok: false })
    if (!shape.ok) expect(shape.reason).toMatch(/does not build/)
    const cfg = applyParams(base, graph, { batchSize: 0 })
    expect(cfg).toMatchObject({ ok: false, reason: expect.stringMatching(/"batchSize"/) })
  })
})
