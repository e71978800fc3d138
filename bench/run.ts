// `npm run bench [-- --only NAME]`: runs each benchmark case, printing one JSON line per case (the
// format in ../shared/bench/README.md) and then a short table for people.
import { benchCsvImport } from './csvImport'
import { benchGraphInference300 } from './graphInference'
import { benchImageImport } from './imageImport'
import { benchTrainMnist } from './trainMnist'
import { benchTrainNetworks } from './trainNetworks'
import { benchRunsQueries } from './runsQueries'
import { benchMainLoopReads } from './mainLoopReads'
import { benchGradCam } from './gradcam'
import { benchProjector } from './projector'
import { benchStudies } from './studies'
import { benchStudyTrials } from './studyTrials'
import { benchOnnxExport } from './onnxExport'

/** One benchmark result line. */
export interface BenchLine {
  case: string
  ours: number
  /** null when the reference could not run here (e.g. PyTorch or pandas not installed). */
  reference: number | null
  unit: string
  ratio: number | null
  better: 'higher' | 'lower'
  reference_name: string
}

/** Every case by its stable name; a case may print several lines (e.g. one per backend). */
const CASES: Record<string, () => Promise<BenchLine | readonly BenchLine[]>> = {
  graph_inference_300: () => benchGraphInference300(),
  train_mnist_cnn: () => benchTrainMnist(),
  // prints train_and_xor_mlp, train_spam_mlp, train_mnist_cnn_app, train_cifar10_cnn, train_text_cnn_lstm, train_resnet_block
  train_networks: () => benchTrainNetworks(),
  // prints csv_import (pandas) and csv_import_duckdb
  csv_import: () => benchCsvImport() as Promise<BenchLine[]>,
  image_import: () => benchImageImport() as Promise<BenchLine>,
  // prints runs_first_page_1000/_100, series_100_runs(_store100) and metric_writes
  runs_queries: () => benchRunsQueries(),
  main_loop_reads: () => benchMainLoopReads(),
  // prints onnx_export_equal, onnx_export_equal_worst_abs and onnx_export_cifar10_ms
  onnx_export_equal: () => benchOnnxExport(),
  gradcam_28x28: () => benchGradCam(),
  projector_10k: () => benchProjector(),
  // prints study_asha and study_overhead
  studies: () => benchStudies(),
  study_trials_at_once: () => benchStudyTrials(),
}

/** Line names printed by a case of another name, so `--only LINE` finds its case. */
const PRINTED_BY: Record<string, string> = {
  csv_import_duckdb: 'csv_import',
  study_asha: 'studies',
  study_overhead: 'studies',
  ...Object.fromEntries(['train_and_xor_mlp', 'train_spam_mlp', 'train_mnist_cnn_app', 'train_cifar10_cnn', 'train_text_cnn_lstm', 'train_resnet_block'].map((n) => [n, 'train_networks'])),
}

async function main(): Promise<void> {
  const onlyAt = process.argv.indexOf('--only')
  const asked = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined
  const only = asked ? (PRINTED_BY[asked] ?? asked) : undefined
  if (only && !CASES[only]) {
    console.error(`Unknown case "${only}". Cases: ${Object.keys(CASES).join(', ')}`)
    process.exit(2)
  }
  const lines: BenchLine[] = []
  for (const [name, run] of Object.entries(CASES)) {
    if (only && name !== only) continue
    try {
      const out = await run()
      for (const line of Array.isArray(out) ? out : [out]) {
        console.log(JSON.stringify(line))
        lines.push(line)
      }
    } catch (e) {
      console.error(`${name}: failed: ${(e as Error).stack ?? e}`)
      process.exitCode = 1
    }
  }
  console.log('\ncase                          ours            reference        ratio   (better)')
  for (const l of lines) {
    const fmt = (v: number | null) => (v === null ? 'n/a' : `${v.toPrecision(4)} ${l.unit}`).padEnd(16)
    const ratio = l.ratio === null ? '   n/a' : l.ratio.toFixed(3).padStart(6)
    console.log(`${l.case.padEnd(30)}${fmt(l.ours)}${fmt(l.reference)} ${ratio}   (${l.better}; ${l.reference_name})`)
  }
}

void main()
