// Benchmark `onnx_export_equal`: every template and 60 seeded random graphs exported to ONNX and
// run in ONNX Runtime against tfjs on the same inputs; `ours` counts the graphs whose outputs match
// within 1e-4 (max abs), the goal (`reference`) being all of them. A second line gives the worst
// difference seen and a third the export time of the CIFAR-10 template.
// Standalone: `npx tsx bench/onnxExport.ts`.
import * as tf from '@tensorflow/tfjs'
import { buildTemplate, TEMPLATE_NAMES } from '../common/graph/templates'
import type { ModelGraph } from '../common/graph/types'
import { onnxParity } from '../test/helpers/onnxParity'
import { randomGraph } from '../test/helpers/randomGraph'
import type { BenchLine } from './run'

const TOLERANCE = 1e-4
const RANDOM_SEEDS = 60

/** The three onnx_export_equal lines. */
export async function benchOnnxExport(): Promise<BenchLine[]> {
  await tf.setBackend('cpu')
  const graphs: [string, ModelGraph][] = [
    ...TEMPLATE_NAMES.map((n) => [`template ${n}`, buildTemplate(n)] as [string, ModelGraph]),
    ...Array.from({ length: RANDOM_SEEDS }, (_, i) => [`random ${i + 1}`, randomGraph(i + 1)] as [string, ModelGraph]),
  ]
  let equal = 0
  let worst = 0
  for (const [name, graph] of graphs) {
    try {
      const r = await onnxParity(graph, 11)
      if (r.maxAbs <= TOLERANCE) equal++
      else console.error(`onnx_export_equal: ${name} differs by ${r.maxAbs}`)
      worst = Math.max(worst, r.maxAbs)
    } catch (e) {
      console.error(`onnx_export_equal: ${name} failed: ${(e as Error).message}`)
    }
  }
  // Export time of the CIFAR-10 template (4.8 M weights): median of 5 conversions.
  const times: number[] = []
  for (let i = 0; i < 5; i++) times.push((await onnxParity(buildTemplate('cifar10_cnn'), 20 + i)).exportMs)
  times.sort((a, b) => a - b)
  const base = { reference_name: `all ${graphs.length} graphs (${TEMPLATE_NAMES.length} templates + ${RANDOM_SEEDS} random)` }
  return [
    { case: 'onnx_export_equal', ours: equal, reference: graphs.length, unit: 'graphs', ratio: equal / graphs.length, better: 'higher', ...base },
    { case: 'onnx_export_equal_worst_abs', ours: worst, reference: TOLERANCE, unit: 'abs', ratio: worst / TOLERANCE, better: 'lower', reference_name: 'tolerance 1e-4' },
    { case: 'onnx_export_cifar10_ms', ours: times[2] as number, reference: null, unit: 'ms', ratio: null, better: 'lower', reference_name: 'none' },
  ]
}

if (process.argv[1]?.endsWith('onnxExport.ts')) {
  void benchOnnxExport().then((lines) => lines.forEach((l) => console.log(JSON.stringify(l))))
}
