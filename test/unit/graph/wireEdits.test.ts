// Wire edits: deleting layers and wires as one step, splicing a layer into a wire, and the
// "replace its input" offer when a single-input layer is wired again.
import { describe, expect, it } from 'vitest'
import { applyChange, commit, createHistory, createNode, replacingConnect, undo } from '../../../common/graph/changes'
import type { ModelGraph } from '../../../common/graph/types'
import { g } from '../../helpers/graphFixtures'

const chain = (): ModelGraph => Object.freeze(g([['in', 'Input', { shape: [4] }], ['a', 'Dense'], ['b', 'Dense']], [['in', 'a'], ['a', 'b']])) as ModelGraph
const wire = (graph: ModelGraph, s: string, t: string) => graph.edges.find((e) => e.source === s && e.target === t)

describe('removeNodes with wires', () => {
  it('removes a layer, its wires and other selected wires in one undo step that brings them all back', () => {
    const graph = g([['in', 'Input', { shape: [4] }], ['a', 'Dense'], ['b', 'Dense'], ['c', 'Dense']], [['in', 'a'], ['a', 'b'], ['in', 'c']])
    const cWire = wire(graph, 'in', 'c')!.id
    const h = commit(createHistory(graph), { kind: 'removeNodes', ids: ['a'], edgeIds: [cWire] }).history
    expect(h.present.nodes.map((n) => n.id)).toEqual(['in', 'b', 'c'])
    expect(h.present.edges).toEqual([])
    const back = undo(h)
    expect(back.present).toBe(graph)
    expect(back.present.edges).toHaveLength(3)
  })

  it('removes only a wire when no layer is given', () => {
    const graph = chain()
    const r = applyChange(graph, { kind: 'removeNodes', ids: [], edgeIds: [wire(graph, 'a', 'b')!.id] })
    expect(r.graph.nodes).toHaveLength(3)
    expect(r.graph.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['in>a'])
  })
})

describe('spliceIntoEdge', () => {
  it('puts an unconnected layer between the two ends of a wire', () => {
    const base = chain()
    const drop = createNode(base, 'Dropout', { x: 0, y: 0 })
    const withNode = applyChange(base, { kind: 'addNode', node: drop }).graph
    const r = applyChange(withNode, { kind: 'spliceIntoEdge', edgeId: wire(base, 'a', 'b')!.id, nodeId: drop.id })
    expect(r.error).toBeUndefined()
    expect(r.graph.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['in>a', `a>${drop.id}`, `${drop.id}>b`])
    expect(new Set(r.graph.edges.map((e) => e.id)).size).toBe(3)
  })

  it('keeps the input slot of a merge layer', () => {
    const graph = g([['in', 'Input', { shape: [4] }], ['a', 'Dense'], ['b', 'Dense'], ['add', 'Add'], ['x', 'Dense']], [['in', 'a'], ['in', 'b'], ['a', 'add'], ['b', 'add']])
    const edges = graph.edges.map((e) => (e.target === 'add' ? { ...e, targetIndex: e.source === 'a' ? 0 : 1 } : e))
    const r = applyChange({ ...graph, edges }, { kind: 'spliceIntoEdge', edgeId: wire(graph, 'b', 'add')!.id, nodeId: 'x' })
    expect(r.graph.edges.find((e) => e.source === 'x')).toMatchObject({ target: 'add', targetIndex: 1 })
  })

  it('refuses an Input, a layer already wired, and unknown ids, leaving the graph as it was', () => {
    const graph = chain()
    const id = wire(graph, 'a', 'b')!.id
    const withInput = applyChange(graph, { kind: 'addNode', node: createNode(graph, 'Input', { x: 0, y: 0 }) }).graph
    const inputId = withInput.nodes[3].id
    expect(applyChange(withInput, { kind: 'spliceIntoEdge', edgeId: id, nodeId: inputId }).error).toMatch(/Input/)
    expect(applyChange(graph, { kind: 'spliceIntoEdge', edgeId: wire(graph, 'in', 'a')!.id, nodeId: 'b' }).error).toMatch(/already wired/)
    expect(applyChange(graph, { kind: 'spliceIntoEdge', edgeId: 'nope', nodeId: 'a' }).error).toMatch(/Unknown connection/)
    const r = applyChange(graph, { kind: 'spliceIntoEdge', edgeId: id, nodeId: 'zz' })
    expect(r.error).toMatch(/Unknown layer/)
    expect(r.graph).toBe(graph)
  })
})

describe('replacingConnect', () => {
  it('offers to replace the input of a single-input layer that already has one', () => {
    const graph = g([['in', 'Input', { shape: [4] }], ['a', 'Dense'], ['b', 'Dense'], ['c', 'Dense']], [['in', 'a'], ['a', 'b'], ['in', 'c']])
    const offer = replacingConnect(graph, { kind: 'connect', source: 'c', target: 'b' })
    expect(offer).toEqual({ kind: 'connect', source: 'c', target: 'b', replace: true })
    const r = applyChange(graph, offer!)
    expect(r.graph.edges.filter((e) => e.target === 'b').map((e) => e.source)).toEqual(['c'])
  })

  it('offers nothing for an accepted connection or one refused for another reason (a cycle)', () => {
    const graph = chain()
    expect(replacingConnect(graph, { kind: 'connect', source: 'in', target: 'b', replace: false })).not.toBeNull()
    expect(replacingConnect(graph, { kind: 'connect', source: 'b', target: 'a' })).toBeNull()
    const free = g([['in', 'Input', { shape: [4] }], ['a', 'Dense']], [])
    expect(replacingConnect(free, { kind: 'connect', source: 'in', target: 'a' })).toBeNull()
  })
})
