// Benchmark `graph_inference_300`: median ms for inferGraph (shapes, params, MACs and all
// validation) on a valid 300-layer residual CNN, against the 16 ms (one frame) budget.
// Standalone: `npx tsx bench/graphInference.ts` prints one JSON line.
import { defaultParams, type ParamValue } from '../common/graph/catalog'
import { inferGraph } from '../common/graph/infer'
import type { GraphEdge, GraphNode, LayerType, ModelGraph } from '../common/graph/types'
import { diffArchitectures } from '../common/runs/architectureDiff'
import { median } from './stats'

/** One result line in the shared bench format (see ../shared/bench/README.md). */
export interface GraphInferenceBench {
  case: 'graph_inference_300'
  ours: number
  reference: 16
  unit: 'ms'
  ratio: number
  better: 'lower'
  reference_name: 'budget'
  /** Median ms for Compare's architecture diff of this graph against a copy with every tenth conv renamed and widened. */
  architecture_diff_ms: number
}

/** A valid graph of exactly `layers` nodes: stem conv, residual conv blocks, classifier head. */
export function buildBenchGraph(layers = 300): ModelGraph {
  const nodes: GraphNode[] = []
  const edges: GraphEdge[] = []
  const add = (type: LayerType, params: Record<string, ParamValue>, inputs: string[]): string => {
    const id = `n${nodes.length + 1}`
    nodes.push({ id, type, name: `${type.toLowerCase()}_${nodes.length + 1}`, params: { ...defaultParams(type), ...params }, position: { x: 0, y: nodes.length * 80 } })
    inputs.forEach((source, i) => edges.push({ id: `e${edges.length + 1}`, source, target: id, ...(inputs.length > 1 ? { targetIndex: i } : {}) }))
    return id
  }
  const conv = { filters: 16, kernelSize: [3, 3], padding: 'same', activation: 'linear' }
  let x = add('Input', { shape: [32, 32, 16] }, [])
  x = add('Conv2D', { ...conv, activation: 'relu' }, [x])
  const head = 4
  const blockSize = 7
  const blocks = Math.floor((layers - nodes.length - head) / blockSize)
  for (let b = 0; b < blocks; b++) {
    const skip = x
    let y = add('Conv2D', conv, [x])
    y = add('BatchNormalization', {}, [y])
    y = add('Activation', { activation: 'relu' }, [y])
    y = add('Conv2D', conv, [y])
    y = add('BatchNormalization', {}, [y])
    y = add('Add', {}, [skip, y])
    x = add('Activation', { activation: 'relu' }, [y])
  }
  // pad with Dropouts if `layers` isn't hit exactly by whole blocks
  while (nodes.length < layers - head) x = add('Dropout', { rate: 0.1 }, [x])
  x = add('GlobalAveragePooling2D', {}, [x])
  x = add('Dense', { units: 64, activation: 'relu' }, [x])
  x = add('Dropout', { rate: 0.5 }, [x])
  add('Dense', { units: 10, activation: 'softmax' }, [x])
  return { formatVersion: 1, nodes, edges }
}

/** Median of the given numbers. */

/** Times inferGraph on the 300-layer graph: warm-up, then the median of `runs` timed runs. */
export async function benchGraphInference300(runs = 100): Promise<GraphInferenceBench> {
  const graph = buildBenchGraph(300)
  const check = inferGraph(graph, { classCount: 10 })
  if (check.issues.length > 0) throw new Error(`bench graph is not clean: ${check.issues[0]?.message}`)
  for (let i = 0; i < 30; i++) inferGraph(graph, { classCount: 10 })
  const times: number[] = []
  for (let i = 0; i < Math.max(50, runs); i++) {
    const t0 = performance.now()
    inferGraph(graph, { classCount: 10 })
    times.push(performance.now() - t0)
  }
  const ours = Math.round(median(times) * 1000) / 1000
  const changed = structuredClone(graph)
  changed.nodes = changed.nodes.map((n, i) => (i % 10 === 0 && n.type === 'Conv2D' ? { ...n, name: `renamed_${i}`, params: { ...n.params, filters: 16 } } : n))
  const diffTimes: number[] = []
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now()
    diffArchitectures(graph, changed)
    diffTimes.push(performance.now() - t0)
  }
  const architecture_diff_ms = Math.round(median(diffTimes) * 1000) / 1000
  return { case: 'graph_inference_300', ours, reference: 16, unit: 'ms', ratio: Math.round((ours / 16) * 10000) / 10000, better: 'lower', reference_name: 'budget', architecture_diff_ms }
}

// Run as a script (tsx bench/graphInference.ts) → print the JSON line.
if (typeof process !== 'undefined' && /graphInference\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  benchGraphInference300().then(
    (r) => console.log(JSON.stringify(r)),
    (e: unknown) => {
      console.error(e)
      process.exitCode = 1
    },
  )
}
