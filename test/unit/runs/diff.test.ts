import { describe, expect, it } from 'vitest'
import { buildTemplate } from '../../../common/graph'
import { diffArchitectures, diffConfigs, flattenConfig, onlyDifferences } from '../../../common/runs/diff'
import { g } from '../../helpers/graphFixtures'

describe('diffConfigs', () => {
  const configs = {
    1: { optimizer: 'adam', learningRate: 0.001, batchSize: 64, schedule: { kind: 'none' }, earlyStopping: null, kernel: [3, 3] },
    2: { optimizer: 'adam', learningRate: 1e-3, batchSize: 128, schedule: { kind: 'step', every: 3 }, earlyStopping: null, kernel: [3, 3] },
    3: { optimizer: 'adam', learningRate: 0.001, batchSize: 64, schedule: { kind: 'none' }, earlyStopping: { patience: 2 }, kernel: [5, 5] },
  }

  it('flattens nested keys and marks where runs differ, missing keys included', () => {
    const rows = diffConfigs(configs)
    expect(rows.map((r) => [r.key, r.differs])).toEqual([
      ['optimizer', false],
      ['learningRate', false],
      ['batchSize', true],
      ['schedule.kind', true],
      ['earlyStopping', true],
      ['kernel', true],
      ['schedule.every', true],
      ['earlyStopping.patience', true],
    ])
    expect(rows.find((r) => r.key === 'schedule.every')?.values).toEqual({ 2: 3 })
    expect(rows.find((r) => r.key === 'earlyStopping')?.values).toEqual({ 1: null, 2: null })
    expect(rows.find((r) => r.key === 'batchSize')?.values).toEqual({ 1: 64, 2: 128, 3: 64 })
  })

  it('keeps only the differences when asked', () => {
    const only = diffConfigs(configs, { onlyDifferences: true })
    expect(only.map((r) => r.key)).not.toContain('optimizer')
    expect(only).toEqual(onlyDifferences(diffConfigs(configs)))
    expect(diffConfigs({ 7: { a: 1, b: { c: [1] } } })).toEqual([
      { key: 'a', values: { 7: 1 }, differs: false },
      { key: 'b.c', values: { 7: [1] }, differs: false },
    ])
    expect(diffConfigs({})).toEqual([])
  })

  it('treats arrays, null and empty objects as values', () => {
    expect([...flattenConfig({ a: [], b: {}, c: { d: null } })]).toEqual([
      ['a', []],
      ['b', {}],
      ['c.d', null],
    ])
    expect([...flattenConfig(null)]).toEqual([])
  })
})

describe('diffArchitectures', () => {
  it('reports nothing for identical graphs', () => {
    const mnist = buildTemplate('mnist_cnn')
    const d = diffArchitectures(mnist, structuredClone(mnist))
    expect(d).toMatchObject({ added: [], removed: [], changed: [], unchanged: mnist.nodes.length })
    expect(d.totals.delta).toBe(0)
  })

  it('lists changed params with shape and parameter-count deltas; defaults equal omitted params', () => {
    const a = g([
      ['in', 'Input', { shape: [8] }],
      ['h', 'Dense', { units: 16, activation: 'relu' }],
      ['out', 'Dense', { units: 3, activation: 'softmax' }],
    ], [['in', 'h'], ['h', 'out']])
    const b = structuredClone(a)
    b.nodes[1]!.params = { units: 32, activation: 'relu', useBias: true } // useBias true is the default
    b.nodes[1]!.position = { x: 500, y: 500 } // moving a layer is no change
    const d = diffArchitectures(a, b)
    expect(d.added).toEqual([])
    expect(d.removed).toEqual([])
    expect(d.changed).toHaveLength(2)
    const [h, out] = d.changed
    expect(h).toMatchObject({
      matchedBy: 'name', renamed: false, typeChanged: false,
      params: [{ key: 'units', a: 16, b: 32 }],
      outputShape: { a: [16], b: [32], changed: true },
      paramCount: { a: 8 * 16 + 16, b: 8 * 32 + 32, delta: 8 * 16 + 16 },
    })
    // the next layer's params change only through its input width
    expect(out).toMatchObject({ params: [], outputShape: { changed: false }, paramCount: { a: 16 * 3 + 3, b: 32 * 3 + 3, delta: 48 } })
    expect(d.totals.delta).toBe(144 + 48)
    expect(d.unchanged).toBe(1)
  })

  it('matches a renamed layer by position and shows inserted and removed layers', () => {
    const a = g([
      ['in', 'Input', { shape: [8] }],
      ['h', 'Dense', { units: 16 }, 'hidden'],
      ['drop', 'Dropout', { rate: 0.5 }],
      ['out', 'Dense', { units: 2 }],
    ], [['in', 'h'], ['h', 'drop'], ['drop', 'out']])
    const b = g([
      ['in', 'Input', { shape: [8] }],
      ['h2', 'Dense', { units: 16 }, 'hidden_renamed'],
      ['bn', 'BatchNormalization', {}],
      ['out', 'Dense', { units: 2 }],
    ], [['in', 'h2'], ['h2', 'bn'], ['bn', 'out']])
    const d = diffArchitectures(a, b)
    expect(d.removed.map((l) => l.name)).toEqual(['drop'])
    expect(d.added.map((l) => [l.name, l.type, l.params, l.outputShape])).toEqual([['bn', 'BatchNormalization', 64, [16]]])
    const renamed = d.changed.find((c) => c.renamed)
    expect(renamed).toMatchObject({ matchedBy: 'position', a: { name: 'hidden' }, b: { name: 'hidden_renamed' }, params: [], paramCount: { delta: 0 } })
    const out = d.changed.find((c) => c.a.name === 'out')
    expect(out?.inputs).toEqual({ a: ['drop'], b: ['bn'], changed: true })
    expect(d.totals.delta).toBe(64)
  })

  it('reports a type change of a same-named layer with the params of both', () => {
    const a = g([['in', 'Input', { shape: [28, 28, 1] }], ['c', 'Conv2D', { filters: 8, kernelSize: [3, 3] }, 'conv']], [['in', 'c']])
    const b = g([['in', 'Input', { shape: [28, 28, 1] }], ['c', 'SeparableConv2D', { filters: 8, kernelSize: [3, 3] }, 'conv']], [['in', 'c']])
    const [c] = diffArchitectures(a, b).changed
    expect(c?.typeChanged).toBe(true)
    expect(c?.params.some((p) => p.a === undefined || p.b === undefined)).toBe(true)
    expect(c?.paramCount.delta).not.toBe(0)
  })

  // Its speed is graph_inference_300's architecture_diff_ms in npm run bench, not timed here.
  it('diffs a 300-layer graph: the renamed, widened convolutions and nothing else', async () => {
    const { buildBenchGraph } = await import('../../../bench/graphInference')
    const a = buildBenchGraph(300)
    const b = structuredClone(a)
    b.nodes = b.nodes.map((n, i) => (i % 10 === 0 && n.type === 'Conv2D' ? { ...n, name: `renamed_${i}`, params: { ...n.params, filters: 16 } } : n))
    const d = diffArchitectures(a, b)
    expect(d.added).toEqual([])
    expect(d.removed).toEqual([])
    expect(d.changed.length).toBeGreaterThan(5)
    expect(d.changed.every((c) => c.matchedBy === 'position' && c.renamed && c.params.length === 0)).toBe(true)
  })
})
