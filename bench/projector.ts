// Benchmark `projector_10k`: seconds to project 10,000 x 128 activations (10 noisy clusters, like a
// trained network's penultimate layer) to 2-D with UMAP (main/explain/projector.ts: PCA, exact kNN, umap-learn's layout on typed arrays; seeded). The reference is issue
// #15's goal (30 s here), so ratio < 1 meets it. The machine is shared: CPU seconds and the load
// average before the run are printed beside the wall time. Standalone: `npx tsx bench/projector.ts`.
import { cpus, loadavg } from 'node:os'
import { seededRandom } from '../common/datasets/prng'
import { neighbourAgreement, projectUmap } from '../main/explain/projector'
import type { BenchLine } from './run'

const N = 10_000
const DIM = 128
const GOAL_S = 30

/** Times one projection and reports how well 10 nearest 2-D neighbours keep their cluster (on 1,000 points). */
export async function benchProjector(): Promise<BenchLine & { samples: number; dims: number; neighbour_agreement: number; cpu_s: number; load_before: number; cores: number }> {
  const r = seededRandom(5)
  const g = () => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r())
  const centres = Array.from({ length: 10 }, () => Array.from({ length: DIM }, () => g() * 3))
  const rows = new Float32Array(N * DIM)
  const labels = new Int32Array(N)
  for (let i = 0; i < N; i++) {
    labels[i] = i % 10
    for (let d = 0; d < DIM; d++) rows[i * DIM + d] = centres[i % 10][d] + g()
  }
  const load = loadavg()[0]
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const xy = (await projectUmap(rows, N, DIM, { seed: 1 }))!
  const s = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const sample = 1000
  const agreement = neighbourAgreement(xy.subarray(0, sample * 2), labels.subarray(0, sample), 10)
  return { case: 'projector_10k', ours: s, reference: GOAL_S, unit: 's', ratio: s / GOAL_S, better: 'lower', reference_name: 'issue #15 goal (30 s)', samples: N, dims: DIM, neighbour_agreement: agreement, cpu_s: (cpu.user + cpu.system) / 1e6, load_before: load, cores: cpus().length }
}

if (require.main === module) void benchProjector().then((l) => console.log(JSON.stringify(l)))
