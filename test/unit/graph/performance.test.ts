// inferGraph must stay far inside one frame (16 ms) for a 300-layer graph; see bench/graphInference.ts.
import { describe, expect, it } from 'vitest'
import { benchGraphInference300, buildBenchGraph } from '../../../bench/graphInference'
import { inferGraph } from '../../../common/graph/infer'

describe('inference speed', () => {
  it('the bench graph has 300 valid layers', () => {
    const graph = buildBenchGraph(300)
    expect(graph.nodes).toHaveLength(300)
    const r = inferGraph(graph, { classCount: 10 })
    expect(r.issues).toEqual([])
    expect(r.nodes[graph.nodes[299]!.id]?.outputShape).toEqual([10])
  })

  it('infers and validates 300 layers well under 16 ms (median)', async () => {
    const r = await benchGraphInference300(50)
    expect(r.case).toBe('graph_inference_300')
    expect(r.ours).toBeLessThan(16)
  })
})
