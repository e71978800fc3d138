import { describe, expect, it } from 'vitest'
import { computeLayout, layoutGraph } from '../../../common/graph/layout'
import { buildTemplate, listTemplates, TEMPLATE_NAMES } from '../../../common/graph/templates'
import { inferGraph } from '../../../common/graph/infer'
import type { ModelGraph } from '../../../common/graph/types'
import { g } from '../../helpers/graphFixtures'
import { randomGraph } from '../../helpers/randomGraph'

/** Counts crossing edge pairs between consecutive layers (edges spanning one layer only). */
function crossings(graph: ModelGraph): number {
  const pos = new Map(graph.nodes.map((n) => [n.id, n.position]))
  const es = graph.edges.map((e) => [pos.get(e.source)!, pos.get(e.target)!] as const)
  let c = 0
  for (let i = 0; i < es.length; i++) {
    for (let j = i + 1; j < es.length; j++) {
      const [a1, b1] = es[i]!
      const [a2, b2] = es[j]!
      if (a1.y !== a2.y || b1.y !== b2.y) continue
      if ((a1.x - a2.x) * (b1.x - b2.x) < 0) c++
    }
  }
  return c
}

describe('layout', () => {
  it('puts every node below all of its inputs, without overlaps', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const graph = layoutGraph(randomGraph(seed * 31))
      const pos = new Map(graph.nodes.map((n) => [n.id, n.position]))
      for (const e of graph.edges) expect(pos.get(e.target)!.y).toBeGreaterThan(pos.get(e.source)!.y)
      expect(new Set(graph.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(graph.nodes.length)
    }
  })

  it('untangles a crossed diamond', () => {
    // in → (a, b); a → y, b → x, with x listed before y: a naive order crosses.
    const messy = g([['in', 'Input'], ['a', 'Dense'], ['b', 'Dense'], ['x', 'Dense'], ['y', 'Dense']], [['in', 'a'], ['in', 'b'], ['a', 'y'], ['b', 'x']])
    expect(crossings(layoutGraph(messy))).toBe(0)
  })

  it('supports left-to-right and tolerates cycles', () => {
    const lr = computeLayout(buildTemplate('and_xor_mlp'), { direction: 'LR' })
    expect(lr.n2!.x).toBeGreaterThan(lr.n1!.x)
    const cyclic = g([['in', 'Input'], ['a', 'Add'], ['b', 'Dense']], [['in', 'a'], ['a', 'b'], ['b', 'a']])
    expect(Object.keys(computeLayout(cyclic)).sort()).toEqual(['a', 'b', 'in'])
  })
})

describe('templates', () => {
  it('are valid, tidy and described', () => {
    expect(listTemplates().map((t) => t.name)).toEqual([...TEMPLATE_NAMES])
    for (const t of listTemplates()) {
      expect(t.title.length).toBeGreaterThan(3)
      expect(t.description.length).toBeGreaterThan(10)
      const graph = buildTemplate(t.name)
      expect(inferGraph(graph).issues, t.name).toEqual([])
      expect(new Set(graph.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(graph.nodes.length)
      expect(crossings(graph)).toBe(0)
    }
  })

  it('have the documented shapes', () => {
    const out = (name: (typeof TEMPLATE_NAMES)[number], opts = {}) => {
      const graph = buildTemplate(name, opts)
      const r = inferGraph(graph)
      return graph.nodes.map((n) => `${n.type}${JSON.stringify(r.nodes[n.id]?.outputShape)}`).join(' ')
    }
    expect(out('and_xor_mlp')).toBe('Input[2] Dense[3] Dense[1]')
    expect(out('spam_mlp', { features: 20 })).toBe('Input[20] Dense[512] Dropout[512] Dense[256] Dense[1]')
    expect(out('mnist_cnn')).toBe('Input[28,28,1] Conv2D[26,26,32] MaxPooling2D[13,13,32] Flatten[5408] Dense[128] Dense[10]')
    expect(out('cifar10_cnn')).toBe('Input[32,32,3] Conv2D[32,32,64] MaxPooling2D[16,16,64] Conv2D[16,16,128] MaxPooling2D[8,8,128] Flatten[8192] Dense[512] Dense[10]')
    expect(out('text_cnn_lstm')).toBe('Input[200] Embedding[200,64] Conv1D[194,32] MaxPooling1D[38,32] LSTM[50] Dense[2]')
    expect(out('resnet_block')).toBe('Input[32,32,3] Conv2D[32,32,32] Conv2D[32,32,32] Conv2D[32,32,32] Add[32,32,32] Activation[32,32,32] GlobalAveragePooling2D[32] Dense[10]')
  })

  it('returns fresh copies', () => {
    const a = buildTemplate('mnist_cnn')
    a.nodes[1]!.params.filters = 1
    expect(buildTemplate('mnist_cnn').nodes[1]!.params.filters).toBe(32)
  })
})
