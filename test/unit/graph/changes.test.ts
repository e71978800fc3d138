import { describe, expect, it } from 'vitest'
import { applyChange, commit, createHistory, createNode, redo, undo, canUndo, canRedo, type GraphChange, type History } from '../../../common/graph/changes'
import { inferGraph } from '../../../common/graph/infer'
import { buildTemplate } from '../../../common/graph/templates'
import type { ModelGraph } from '../../../common/graph/types'
import { wouldCreateCycle } from '../../../common/graph/validate'
import { g } from '../../helpers/graphFixtures'

/** Recursively freezes a value so any mutation by the reducer throws. */
function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x)
    Object.freeze(v)
  }
  return v
}

const chain3 = (): ModelGraph => deepFreeze(g([['in', 'Input', { shape: [4] }], ['a', 'Dense'], ['b', 'Dense']], [['in', 'a'], ['a', 'b']]))

describe('applyChange', () => {
  it('adds a node with a fresh id and unique name', () => {
    const graph = chain3()
    const node = createNode(graph, 'Dense', { x: 5, y: 6 })
    expect(node.id).not.toMatch(/^(in|a|b)$/)
    const r = applyChange(graph, { kind: 'addNode', node })
    expect(r.error).toBeUndefined()
    expect(r.graph.nodes).toHaveLength(4)
    expect(applyChange(r.graph, { kind: 'addNode', node }).error).toMatch(/already used/)
  })

  it('refuses connections that would create a cycle, duplicates, self-loops and edges into an Input', () => {
    const graph = chain3()
    expect(wouldCreateCycle(graph, 'b', 'a')).toBe(true)
    expect(wouldCreateCycle(graph, 'in', 'b')).toBe(false)
    expect(applyChange(graph, { kind: 'connect', source: 'b', target: 'a', replace: true }).error).toMatch(/cycle/)
    expect(applyChange(graph, { kind: 'connect', source: 'b', target: 'b' }).error).toBeDefined()
    expect(applyChange(graph, { kind: 'connect', source: 'in', target: 'a' }).error).toMatch(/already connected/)
    expect(applyChange(graph, { kind: 'connect', source: 'a', target: 'in' }).error).toMatch(/Input/)
    expect(applyChange(graph, { kind: 'connect', source: 'a', target: 'zzz' }).error).toMatch(/Unknown/)
  })

  it('a single-input layer refuses a second input unless replace is set', () => {
    const graph = deepFreeze(g([['in', 'Input', { shape: [4] }], ['a', 'Dense'], ['b', 'Dense'], ['c', 'Dense']], [['in', 'a'], ['in', 'b'], ['a', 'c']]))
    expect(applyChange(graph, { kind: 'connect', source: 'b', target: 'c' }).error).toMatch(/already has an input/)
    const r = applyChange(graph, { kind: 'connect', source: 'b', target: 'c', replace: true })
    expect(r.error).toBeUndefined()
    expect(r.graph.edges.filter((e) => e.target === 'c').map((e) => e.source)).toEqual(['b'])
  })

  it('merge layers accept more inputs and number their slots', () => {
    let graph: ModelGraph = g([['in', 'Input', { shape: [4] }], ['a', 'Dense', { units: 4 }], ['b', 'Dense', { units: 4 }], ['add', 'Add']], [['in', 'a'], ['in', 'b']])
    for (const s of ['a', 'b', 'in']) {
      const r = applyChange(graph, { kind: 'connect', source: s, target: 'add' })
      expect(r.error).toBeUndefined()
      graph = r.graph
    }
    expect(graph.edges.filter((e) => e.target === 'add').map((e) => e.targetIndex)).toEqual([0, 1, 2])
    expect(inferGraph(graph).issues).toEqual([])
  })

  it('removes nodes together with their edges; disconnect removes edges', () => {
    const graph = chain3()
    const r = applyChange(graph, { kind: 'removeNodes', ids: ['a'] })
    expect(r.graph.nodes.map((n) => n.id)).toEqual(['in', 'b'])
    expect(r.graph.edges).toEqual([])
    expect(applyChange(graph, { kind: 'removeNodes', ids: ['nope'] }).graph).toBe(graph)
    expect(applyChange(graph, { kind: 'disconnect', edgeIds: ['e1'] }).graph.edges.map((e) => e.id)).toEqual(['e2'])
  })

  it('moves, updates params and renames immutably', () => {
    const graph = chain3()
    const moved = applyChange(graph, { kind: 'moveNodes', moves: [{ id: 'a', position: { x: 10, y: 20 } }] }).graph
    expect(moved.nodes[1]?.position).toEqual({ x: 10, y: 20 })
    expect(moved.nodes[0]).toBe(graph.nodes[0])
    const upd = applyChange(graph, { kind: 'updateParams', id: 'a', params: { units: 3 } }).graph
    expect(upd.nodes[1]?.params).toEqual({ units: 3 })
    expect(applyChange(graph, { kind: 'rename', id: 'a', name: 'hidden' }).graph.nodes[1]?.name).toBe('hidden')
    expect(applyChange(graph, { kind: 'rename', id: 'a', name: 'b' }).error).toMatch(/already exists/)
    expect(applyChange(graph, { kind: 'rename', id: 'a', name: 'bad name!' }).error).toBeDefined()
  })

  it('pastes copies with fresh ids and names, keeping only internal edges', () => {
    const graph = chain3()
    const r = applyChange(graph, { kind: 'paste', nodes: [graph.nodes[1]!, graph.nodes[2]!], edges: [...graph.edges], offset: { x: 100, y: 0 } })
    expect(r.graph.nodes).toHaveLength(5)
    const pasted = r.graph.nodes.slice(3)
    expect(new Set(r.graph.nodes.map((n) => n.id)).size).toBe(5)
    expect(new Set(r.graph.nodes.map((n) => n.name)).size).toBe(5)
    expect(pasted[0]?.position.x).toBe(graph.nodes[1]!.position.x + 100)
    const newEdges = r.graph.edges.slice(2)
    expect(newEdges).toHaveLength(1)
    expect(newEdges[0]).toMatchObject({ source: pasted[0]?.id, target: pasted[1]?.id })
  })

  it('applies a template and replaces the graph', () => {
    const r = applyChange(chain3(), { kind: 'applyTemplate', template: 'mnist_cnn' })
    expect(r.graph.nodes.map((n) => n.type)).toEqual(buildTemplate('mnist_cnn').nodes.map((n) => n.type))
    const other = buildTemplate('and_xor_mlp')
    expect(applyChange(chain3(), { kind: 'replaceGraph', graph: other }).graph).toBe(other)
  })

  it('changes are plain serializable data', () => {
    const change: GraphChange = { kind: 'connect', source: 'in', target: 'b', replace: true }
    const replayed = applyChange(chain3(), JSON.parse(JSON.stringify(change)) as GraphChange)
    expect(replayed).toEqual(applyChange(chain3(), change))
  })
})

describe('history', () => {
  const step = (h: History, c: GraphChange, coalesce = false): History => {
    const r = commit(h, c, { coalesce })
    expect(r.error).toBeUndefined()
    return r.history
  }

  it('undoes and redoes', () => {
    const start = chain3()
    let h = createHistory(start)
    expect(canUndo(h)).toBe(false)
    h = step(h, { kind: 'removeNodes', ids: ['b'] })
    h = step(h, { kind: 'rename', id: 'a', name: 'hidden' })
    expect(h.present.nodes.map((n) => n.name)).toEqual(['in', 'hidden'])
    h = undo(h)
    expect(h.present.nodes.map((n) => n.name)).toEqual(['in', 'a'])
    h = undo(h)
    expect(h.present).toBe(start)
    expect(undo(h)).toBe(h)
    h = redo(redo(h))
    expect(h.present.nodes.map((n) => n.name)).toEqual(['in', 'hidden'])
    expect(canRedo(h)).toBe(false)
    expect(redo(h)).toBe(h)
  })

  it('a new change clears the redo stack; errors and no-ops leave history alone', () => {
    let h = step(createHistory(chain3()), { kind: 'rename', id: 'a', name: 'x1' })
    h = undo(h)
    expect(canRedo(h)).toBe(true)
    h = step(h, { kind: 'rename', id: 'a', name: 'x2' })
    expect(canRedo(h)).toBe(false)
    const bad = commit(h, { kind: 'connect', source: 'b', target: 'a' })
    expect(bad.error).toMatch(/cycle/)
    expect(bad.history).toBe(h)
    expect(commit(h, { kind: 'removeNodes', ids: ['ghost'] }).history).toBe(h)
  })

  it('coalesces drag moves into one undo step', () => {
    let h = createHistory(chain3())
    h = step(h, { kind: 'moveNodes', moves: [{ id: 'a', position: { x: 1, y: 1 } }] })
    for (let i = 2; i < 10; i++) h = step(h, { kind: 'moveNodes', moves: [{ id: 'a', position: { x: i, y: i } }] }, true)
    expect(h.past).toHaveLength(1)
    expect(undo(h).present.nodes[1]?.position).toEqual({ x: 0, y: 0 })
  })

  it('is bounded', () => {
    let h = createHistory(chain3())
    for (let i = 0; i < 250; i++) h = step(h, { kind: 'moveNodes', moves: [{ id: 'a', position: { x: i, y: 0 } }] })
    expect(h.past).toHaveLength(200)
    const small = commit(h, { kind: 'rename', id: 'a', name: 'q' }, { limit: 5 }).history
    expect(small.past).toHaveLength(5)
  })
})
