// The graph behind the graph_inference_300 bench case (its speed, against the 16 ms frame budget,
// is printed by `npm run bench`, not asserted here): 300 valid layers, and the bench line's shape.
import { describe, expect, it } from 'vitest'
import { benchGraphInference300, buildBenchGraph } from '../../../bench/graphInference'
import { inferGraph } from '../../../common/graph/infer'

describe('the 300-layer bench graph', () => {
  it('the bench graph has 300 valid layers', () => {
    const graph = buildBenchGraph(300)
    expect(graph.nodes).toHaveLength(300)
    const r = inferGraph(graph, { classCount: 10 })
    expect(r.issues).toEqual([])
    expect(r.nodes[graph.nodes[299]!.id]?.outputShape).toEqual([10])
  })

  it('the bench case prints a line in the shared format, with the architecture diff beside it', async () => {
    const r = await benchGraphInference300(50)
    expect(r).toMatchObject({ case: 'graph_inference_300', reference: 16, unit: 'ms', better: 'lower', reference_name: 'budget' })
    expect(r.ours).toBeGreaterThan(0)
    expect(r.ratio).toBeCloseTo(r.ours / 16, 3)
    expect(r.architecture_diff_ms).toBeGreaterThan(0)
  })
})
