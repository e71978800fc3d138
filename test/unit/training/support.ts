// Builders for training tests: a core whose training and inference run on this thread, an
// AND/XOR CSV dataset with the 2-3-1 MLP, and a tiny shapes image dataset with a dense classifier.
import { writeFileSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import { join } from 'node:path'
import { createCore, type Core, type CoreOptions } from '../../../main/core/createCore'
import { importCsv } from '../../../main/datasets/csv/import'
import { importImageFolder } from '../../../main/datasets/images/import'
import { writeShapeImages } from '../../../main/datasets/samples/shapes'
import { buildTemplate, type ModelGraph } from '../../../common/graph'
import { defaultParams } from '../../../common/graph/catalog'
import type { LayerType } from '../../../common/graph/types'
import { loadNewestCheckpoint } from '../../../main/training/checkpoint'
import { fitRun, type FitControl } from '../../../main/training/fitLoop'
import type { ModelDetail, Result, RunSummary, TrainConfig } from '../../../common/contract'
import { bareProbe } from '../../helpers/core'
import { inProcessTrainer } from '../../helpers/inProcessWorker'
import { inProcessReader } from '../../helpers/readWorkers'
import { tempDir } from '../../helpers/tmp'

/** A small deterministic config on the cpu backend. */
export const CPU_CONFIG: TrainConfig = {
  optimizer: 'adam',
  learningRate: 0.05,
  momentum: 0.9,
  schedule: { kind: 'none' },
  batchSize: 8,
  epochs: 6,
  loss: 'binaryCrossentropy',
  earlyStopping: null,
  seed: 7,
  backend: 'cpu',
  keepCheckpoints: 3,
}

/** Rows of a logic-gate CSV: `repeat` copies of the four input pairs, labelled by `gate`. */
export function gateCsv(gate: 'and' | 'xor', repeat = 50): string {
  const rows = ['a,b,y']
  for (let i = 0; i < repeat; i++) for (const [a, b] of [[0, 0], [0, 1], [1, 0], [1, 1]]) rows.push(`${a},${b},${(gate === 'and' ? a & b : a ^ b) ? 'pos' : 'neg'}`)
  return rows.join('\n')
}

/** A core over a fresh folder with in-process training and inference. */
export function inProcessCore(extra: Partial<CoreOptions> = {}): Core {
  return createCore({ dataDir: tempDir(), transport: 'browser', appVersion: 't', backendProbe: bareProbe, spawnTrainer: inProcessTrainer, spawnReader: inProcessReader, ...extra })
}

/** Saves a graph as a model and returns its version id. */
export async function saveGraph(core: Core, name: string, graph: ModelGraph): Promise<number> {
  const saved = await core.call('models.save', { name, graph })
  if (!saved.ok) throw new Error(saved.message)
  return (saved.value as ModelDetail).versionId
}

/** Imports the gate CSV and saves the and_xor_mlp template. */
export async function gateSetup(core: Core, gate: 'and' | 'xor' = 'xor'): Promise<{ modelVersionId: number; datasetVersionId: number }> {
  const csv = join(tempDir(), `${gate}.csv`)
  writeFileSync(csv, gateCsv(gate))
  const imported = await importCsv(core.db, csv, { name: gate, recipe: { target: 'y' }, split: { train: 0.8, validation: 0.1, test: 0.1, seed: 1 } })
  return { modelVersionId: await saveGraph(core, 'mlp', buildTemplate('and_xor_mlp')), datasetVersionId: imported.versionId }
}

/** A chain of layers as a graph (each node feeds the next). */
export function chain(layers: [LayerType, Record<string, unknown>][]): ModelGraph {
  return {
    formatVersion: 1,
    nodes: layers.map(([type, params], i) => ({ id: `n${i + 1}`, type, name: `${type.toLowerCase()}_${i + 1}`, params: { ...defaultParams(type), ...params } as never, position: { x: 0, y: i * 80 } })),
    edges: layers.slice(1).map((_, i) => ({ id: `e${i + 1}`, source: `n${i + 1}`, target: `n${i + 2}` })),
  }
}

/** Imports 16x16 greyscale shapes (3 classes) and saves a Flatten → Dense softmax classifier. */
export async function shapesSetup(core: Core, perClass = 12): Promise<{ modelVersionId: number; datasetVersionId: number; folder: string }> {
  const folder = join(tempDir(), 'shapes')
  await writeShapeImages(folder, perClass)
  const imported = await importImageFolder(core.db, folder, { name: 'shapes', width: 16, height: 16, channels: 1, split: { train: 0.6, validation: 0.1, test: 0.3, seed: 3 } })
  const graph = chain([
    ['Input', { shape: [16, 16, 1] }],
    ['Flatten', {}],
    ['Dense', { units: 3, activation: 'softmax' }],
  ])
  return { modelVersionId: await saveGraph(core, 'shapes dense', graph), datasetVersionId: imported.versionId, folder }
}

/** Starts a run and waits for the engine to go idle; returns the run as stored. */
export async function trainToEnd(core: Core, ids: { modelVersionId: number; datasetVersionId: number }, config: TrainConfig): Promise<RunSummary> {
  const started = await core.call('runs.start', { modelVersionId: ids.modelVersionId, datasetVersionId: ids.datasetVersionId, config })
  if (!started.ok) throw new Error(started.message)
  await core.engine.idle()
  const got = await core.call('runs.get', { runId: (started.value as RunSummary).id })
  if (!got.ok) throw new Error(got.message)
  return got.value as RunSummary
}

/** The newest checkpoint's weights of a run, flattened into one array per tensor. */
export function newestWeights(core: Core, runId: number): Float32Array[] {
  const c = loadNewestCheckpoint(core.db, runId)
  if (!c) throw new Error(`run ${runId} has no checkpoint`)
  return c.weights
}

/** The value of a successful contract call; a failed one throws its code and message. */
export function ok<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`)
  return r.value as T
}

/**
 * One fit session of a run with fitRun on this thread and the active backend, stopped once the
 * global step reaches `stopAt` (progress is posted every batch); null trains to the end.
 */
export async function fitSession(c: Core, runId: number, resume: boolean, stopAt: number | null, checkpointMs?: number): Promise<'completed' | 'stopped'> {
  let stop = false
  const control: FitControl = {
    get stopRequested() {
      return stop
    },
    waitWhilePaused: () => Promise.resolve(),
  }
  return fitRun({
    tf,
    db: c.db,
    runId,
    resume,
    control,
    progressMs: 0,
    checkpointMs,
    emit: (m) => {
      if (m.type === 'progress' && stopAt !== null && m.progress.step >= stopAt) stop = true
    },
  })
}
