// Every issue code is produced by a minimal graph, and valid graphs stay clean.
import { describe, expect, it } from 'vitest'
import { inferGraph, type InferContext } from '../../../common/graph/infer'
import { ISSUE_TITLES, type IssueCode } from '../../../common/graph/issues'
import type { ModelGraph } from '../../../common/graph/types'
import { g } from '../../helpers/graphFixtures'

const inputDense = (shape: (number | null)[], dense: Record<string, unknown> = {}): ModelGraph =>
  g([['in', 'Input', { shape }], ['d', 'Dense', dense]], [['in', 'd']])
const chain = (shape: (number | null)[], type: string, params: Record<string, unknown> = {}): ModelGraph =>
  g([['in', 'Input', { shape }], ['x', type, params]], [['in', 'x']])

const minimal: Record<IssueCode, { graph: ModelGraph; ctx?: InferContext; nodeId?: string; field?: string; fix?: RegExp }> = {
  E001: { graph: g([['in', 'Input'], ['a', 'Add'], ['b', 'Dense']], [['in', 'a'], ['a', 'b'], ['b', 'a']]), nodeId: 'a' },
  E002: { graph: g([['a', 'Dense'], ['b', 'Dense']], [['a', 'b']]) },
  E003: { graph: g([['in', 'Input'], ['d', 'Dense'], ['lost', 'Dense']], [['in', 'd']]), nodeId: 'lost' },
  E004: { graph: g([['in', 'Input'], ['a', 'Add']], [['in', 'a']]), nodeId: 'a' },
  E005: { graph: g([['in', 'Input'], ['d1', 'Dense', { units: 4 }], ['d2', 'Dense', { units: 5 }], ['a', 'Add']], [['in', 'd1'], ['in', 'd2'], ['d1', 'a'], ['d2', 'a']]), nodeId: 'a' },
  E006: {
    graph: g(
      [['in', 'Input', { shape: [8, 8, 1] }], ['c1', 'Conv2D', { filters: 2 }], ['c2', 'Conv2D', { filters: 2, padding: 'same' }], ['cat', 'Concatenate']],
      [['in', 'c1'], ['in', 'c2'], ['c1', 'cat'], ['c2', 'cat']],
    ),
    nodeId: 'cat',
  },
  E007: { graph: inputDense([28, 28, 1]), nodeId: 'd', fix: /Flatten/ },
  E008: { graph: chain([10], 'Conv2D'), nodeId: 'x', fix: /Reshape|Dense/ },
  E009: { graph: chain([28, 28, 1], 'Conv1D'), nodeId: 'x' },
  E010: { graph: chain([10], 'LSTM'), nodeId: 'x', fix: /Embedding|Reshape/ },
  E011: { graph: chain([2, 2, 1], 'Conv2D', { kernelSize: [3, 3] }), nodeId: 'x', fix: /same/ },
  E012: { graph: chain([10], 'Reshape', { targetShape: [3, 3] }), nodeId: 'x', field: 'targetShape' },
  E013: { graph: inputDense([4], { units: -1 }), nodeId: 'd', field: 'units' },
  E014: { graph: chain([10], 'Flatten'), nodeId: 'x' },
  E015: { graph: chain([10], 'Bogus'), nodeId: 'x' },
  E016: { graph: inputDense([null]), nodeId: 'd' },
  E017: { graph: { ...inputDense([3]), edges: [{ id: 'e1', source: 'in', target: 'd' }, { id: 'e2', source: 'in', target: 'ghost' }] }, nodeId: 'in' },
  E018: { graph: g([['in', 'Input', {}, 'same'], ['d', 'Dense', {}, 'same']], [['in', 'd']]), nodeId: 'd' },
  E019: { graph: inputDense([4], { units: 3, activation: 'softmax' }), ctx: { data: { shape: { inputShape: [5], kind: 'classification', classCount: 3 }, label: 'cars v1' } }, nodeId: 'in' },
  W001: { graph: g([['in', 'Input'], ['a', 'Dense'], ['b', 'Dense']], [['in', 'a'], ['in', 'b']]), nodeId: 'b' },
  W002: { graph: inputDense([5, 3]), nodeId: 'd' },
  W003: { graph: inputDense([4], { units: 10, activation: 'softmax' }), ctx: { classCount: 3 }, nodeId: 'd', field: 'units' },
  W004: { graph: inputDense([4], { units: 3, activation: 'sigmoid' }), ctx: { classCount: 3 }, nodeId: 'd', field: 'activation' },
  W005: { graph: inputDense([4], { units: 2, activation: 'sigmoid' }), ctx: { classCount: 2 }, nodeId: 'd', field: 'units' },
  W006: { graph: inputDense([4], { units: 1, activation: 'softmax' }), nodeId: 'd' },
}

describe('issue codes', () => {
  it('every documented code has a minimal example', () => {
    expect(Object.keys(minimal).sort()).toEqual(Object.keys(ISSUE_TITLES).sort())
  })
  for (const [code, ex] of Object.entries(minimal)) {
    it(`${code}: ${ISSUE_TITLES[code as IssueCode]}`, () => {
      const found = inferGraph(ex.graph, ex.ctx).issues.filter((i) => i.code === code)
      expect(found.length, JSON.stringify(inferGraph(ex.graph, ex.ctx).issues)).toBeGreaterThan(0)
      const first = found.find((i) => ex.nodeId === undefined || i.nodeId === ex.nodeId)
      expect(first, `expected ${code} on ${ex.nodeId}`).toBeDefined()
      expect(first?.severity).toBe(code.startsWith('E') ? 'error' : 'warning')
      expect(first?.message.length).toBeGreaterThan(5)
      if (ex.field) expect(first?.field).toBe(ex.field)
      if (ex.fix) expect(first?.fix).toMatch(ex.fix)
    })
  }

  it('an empty graph reports E002', () => {
    expect(inferGraph({ formatVersion: 1, nodes: [], edges: [] }).issues.map((i) => i.code)).toEqual(['E002'])
  })

  it('does not cascade: layers after a broken one get no shape and no extra errors', () => {
    const graph = g([['in', 'Input', { shape: [10] }], ['c', 'Conv2D'], ['f', 'Flatten'], ['d', 'Dense']], [['in', 'c'], ['c', 'f'], ['f', 'd']])
    const r = inferGraph(graph)
    expect(r.issues.map((i) => i.code)).toEqual(['E008'])
    expect(r.nodes.d?.outputShape).toBeNull()
  })

  it('looks through a trailing Dropout when checking the output head', () => {
    const graph = g([['in', 'Input', { shape: [4] }], ['d', 'Dense', { units: 5, activation: 'softmax' }], ['drop', 'Dropout']], [['in', 'd'], ['d', 'drop']])
    expect(inferGraph(graph, { classCount: 3 }).issues.map((i) => `${i.code}@${i.nodeId}`)).toEqual(['W003@d'])
  })

  it('a softmax head that matches the class count is clean', () => {
    expect(inferGraph(inputDense([4], { units: 3, activation: 'softmax' }), { classCount: 3 }).issues).toEqual([])
    expect(inferGraph(inputDense([4], { units: 1, activation: 'sigmoid' }), { classCount: 2 }).issues).toEqual([])
  })
})

describe('shape, params and MACs', () => {
  it('computes a small CNN by hand', () => {
    const graph = g(
      [['in', 'Input', { shape: [28, 28, 1] }], ['c', 'Conv2D', { filters: 32, kernelSize: [3, 3] }], ['p', 'MaxPooling2D'], ['f', 'Flatten'], ['d', 'Dense', { units: 10, activation: 'softmax' }]],
      [['in', 'c'], ['c', 'p'], ['p', 'f'], ['f', 'd']],
    )
    const r = inferGraph(graph)
    expect(r.nodes.c).toEqual({ outputShape: [26, 26, 32], params: { trainable: 320, nonTrainable: 0 }, macs: 26 * 26 * 32 * 9 })
    expect(r.nodes.p?.outputShape).toEqual([13, 13, 32])
    expect(r.nodes.f?.outputShape).toEqual([5408])
    expect(r.nodes.d).toEqual({ outputShape: [10], params: { trainable: 54090, nonTrainable: 0 }, macs: 54080 })
    expect(r.totals).toEqual({ trainable: 54410, nonTrainable: 0, macs: 26 * 26 * 32 * 9 + 54080 })
  })

  it('BatchNormalization has non-trainable moving statistics', () => {
    const r = inferGraph(chain([6], 'BatchNormalization'))
    expect(r.nodes.x?.params).toEqual({ trainable: 12, nonTrainable: 12 })
  })

  it('orders Concatenate inputs by targetIndex', () => {
    const graph = g([['in', 'Input', { shape: [4] }], ['a', 'Dense', { units: 2 }], ['b', 'Dense', { units: 3 }], ['cat', 'Concatenate']], [['in', 'a'], ['in', 'b'], ['a', 'cat'], ['b', 'cat']])
    graph.edges[2]!.targetIndex = 1
    graph.edges[3]!.targetIndex = 0
    expect(inferGraph(graph).nodes.cat?.outputShape).toEqual([5])
  })

  it('keeps variable sequence length through an RNN', () => {
    const graph = g([['in', 'Input', { shape: [null, 8] }], ['r', 'GRU', { units: 4, returnSequences: true }]], [['in', 'r']])
    expect(inferGraph(graph).nodes.r?.outputShape).toEqual([null, 4])
  })
})
