import type { Database } from 'better-sqlite3'
import type { StepperInfo } from '../../common/contract'
import { AppError } from '../../common/errors'
import { NO_AUGMENT } from '../../common/datasets/augment'
import { seededRandom } from '../../common/datasets/prng'
import type { SplitName } from '../../common/datasets/types'
import { getDatasetVersion } from '../store/queries/datasets'
import { augmentBatch } from './augmentImages'
import { batchStream, epochSeed, splitRows, type RowSource } from './batches'
import { foldRows } from './foldRows'
import { buildModel, compileModel, type Tf } from './buildModel'
import { loadNewestCheckpoint, saveCheckpoint, type Checkpoint, type EpochTally } from './checkpoint'
import { checkFit, dataTaskOf } from './dataTask'
import { evaluateSplit } from './evaluateSplit'
import { chooseStepper } from './stepper'
import { readOptimizerScalars, restoreOptimizerScalars } from './optimizerState'
import type { FromWorker } from './protocol'
import { insertMetrics, truncateMetrics } from '../store/queries/metrics'
import type { MetricRow } from '../../common/runs/types'
import { getRun, heartbeat, saveEvaluation } from '../store/queries/runRecords'
import { nextLearningRate } from './schedule'
import { getModelVersion } from '../store/queries/models'

/** How the worker steers a running fit: pause and stop requests. */
export interface FitControl {
  readonly stopRequested: boolean
  waitWhilePaused(): Promise<void>
}

/** What fitRun needs. */
export interface FitOptions {
  tf: Tf
  db: Database
  runId: number
  resume: boolean
  control: FitControl
  emit: (msg: FromWorker) => void
  /** How often metrics are flushed and the heartbeat written (ms). */
  flushMs?: number
  /** How often progress is posted (ms). */
  progressMs?: number
  /**
   * How often a checkpoint is also written in the middle of an epoch (ms), so a crash during a
   * long epoch loses at most this much training. Epoch ends always checkpoint.
   */
  checkpointMs?: number
  /** Cores this run may use (its share when several runs train at once); default: all of them. */
  cores?: number
  /** Told how the steps will run (stepper, threads) once it is chosen. */
  onStepper?: (stepper: StepperInfo) => void
}

/** Default interval of mid-epoch checkpoints: a crash loses at most a minute of training. */
export const CHECKPOINT_EVERY_MS = 60_000

/**
 * Trains one run to completion or until stopped: streams shuffled batches from the store, writes
 * per-batch and per-epoch metrics, checkpoints every epoch (and on stop), applies the learning
 * rate schedule and early stopping, and evaluates on the test split at the end.
 */
export async function fitRun(o: FitOptions): Promise<'completed' | 'stopped'> {
  const { tf, db, runId, control, emit } = o
  const flushMs = o.flushMs ?? 1000
  const progressMs = o.progressMs ?? 250
  const checkpointMs = o.checkpointMs ?? CHECKPOINT_EVERY_MS
  const run = getRun(db, runId)
  const config = run.config
  const mv = run.modelVersionId === null ? undefined : getModelVersion(db, run.modelVersionId)
  if (!mv) throw new AppError('not_found', `Run ${runId}'s model version no longer exists.`)
  const version = run.datasetVersionId === null ? null : getDatasetVersion(db, run.datasetVersionId)
  if (!version) throw new AppError('not_found', `Run ${runId}'s dataset version no longer exists.`)
  const graph = mv.graph
  const task = dataTaskOf(version)
  checkFit(graph, task, config)

  const model = await buildModel(tf, graph, config.seed)
  const optimizer = compileModel(tf, model, config)
  let lr = config.learningRate
  let startEpoch = 0
  let skipBatches = 0
  let step = 0
  let best: Checkpoint['meta']['best'] = null
  let badEpochs = 0
  let resumedTally: EpochTally | null = null
  const ckpt = o.resume ? loadNewestCheckpoint(db, runId) : null
  if (ckpt) {
    model.setWeights(ckpt.weights.map((w, i) => tf.tensor(w, ckpt.meta.weightShapes[i])))
    if (ckpt.optimizer.length) await optimizer.setWeights(ckpt.optimizer.map((w, i) => ({ name: ckpt.meta.optimizerWeights[i].name, tensor: tf.tensor(w, ckpt.meta.optimizerWeights[i].shape) })))
    restoreOptimizerScalars(tf, optimizer, ckpt.meta.optimizerScalars)
    if (!ckpt.meta.epochFinished) resumedTally = ckpt.meta.epochTally ?? null
    startEpoch = ckpt.meta.epochFinished ? ckpt.meta.epoch + 1 : ckpt.meta.epoch
    skipBatches = ckpt.meta.epochFinished ? 0 : ckpt.meta.batchInEpoch
    step = ckpt.meta.step
    lr = ckpt.meta.learningRate
    best = ckpt.meta.best
    badEpochs = ckpt.meta.badEpochs
  }
  const stepper = await chooseStepper({ tf, model, optimizer, config, classes: task.classes.length, cores: o.cores })
  stepper.setLearningRate(lr)
  // The run's body; the stepper is disposed however it ends.
  const trainAndEvaluate = async (): Promise<'completed' | 'stopped'> => {
    o.onStepper?.({ label: stepper.label, threads: stepper.threads ?? 1, reason: stepper.reason ?? null })
    truncateMetrics(db, runId, ckpt ? step : -1)

    // A cross-validation fold trains on k-1 folds of train+validation and validates on the held-out one.
    const fold = config.fold ? foldRows(db, version.id, config.fold) : null
    const trainSource: RowSource = fold ? { splits: ['train', 'validation'], rows: fold.train } : 'train'
    const trainRows = splitRows(db, version.id, trainSource)
    if (trainRows === 0) throw new AppError('invalid_input', `Dataset "${version.datasetName}" v${version.version} has no training rows.`)
    const valRows = fold ? fold.heldOut.size : splitRows(db, version.id, 'validation')
    const stepsPerEpoch = Math.ceil(trainRows / config.batchSize)
    const augment = version.kind === 'image' ? (version.augment ?? NO_AUGMENT) : NO_AUGMENT
    const started = performance.now()
    const wall = () => (performance.now() - started) / 1000
    const pending: MetricRow[] = []
    let lastFlush = performance.now()
    let lastProgress = 0
    let lastYield = 0
    const flush = () => {
      if (pending.length) insertMetrics(db, pending.splice(0))
      heartbeat(db, runId)
      lastFlush = performance.now()
    }

    let lastCheckpoint = performance.now()
    const checkpointNow = async (epoch: number, batchInEpoch: number, epochFinished: boolean, metricValue: number | null, isBest: boolean, epochTally?: EpochTally) => {
      await stepper.sync()
      const weights = model.getWeights()
      const optWeights = await optimizer.getWeights()
      const optimizerScalars = readOptimizerScalars(optimizer)
      const c: Checkpoint = {
        meta: {
          formatVersion: 1,
          epoch,
          step,
          batchInEpoch,
          epochFinished,
          learningRate: lr,
          best,
          badEpochs,
          weightShapes: weights.map((w) => w.shape),
          optimizerWeights: optWeights.map((w) => ({ name: w.name, shape: w.tensor.shape })),
          metricValue,
          optimizerScalars,
          epochTally,
        },
        weights: await Promise.all(weights.map(async (w) => (await w.data()) as Float32Array)),
        optimizer: await Promise.all(optWeights.map(async (w) => Float32Array.from(await w.tensor.data()))),
      }
      flush()
      saveCheckpoint(db, runId, c, isBest, config.keepCheckpoints)
      lastCheckpoint = performance.now()
    }

    for (let epoch = startEpoch; epoch < config.epochs; epoch++) {
      const epochStart = performance.now()
      // A run resumed mid-epoch carries that epoch's sums, so its loss and accuracy (and what early
      // stopping and the plateau schedule decide from them) match an uninterrupted run.
      let lossSum = resumedTally?.lossSum ?? 0
      let accSum = resumedTally?.accSum ?? 0
      let seen = resumedTally?.seen ?? 0
      resumedTally = null
      let batchIndex = 0
      let epochSamples = 0
      for (const b of batchStream(db, version.id, trainSource, config.batchSize, epochSeed(config.seed, epoch))) {
        if (batchIndex < skipBatches) {
          batchIndex++
          continue
        }
        await control.waitWhilePaused()
        if (version.kind === 'image' && augment !== NO_AUGMENT) {
          augmentBatch(b.x, b.n, b.shape[0], b.shape[1], b.shape[2], augment, seededRandom(epochSeed(config.seed, epoch * 100_003 + batchIndex)))
        }
        const { loss: batchLoss, accuracy: batchAcc } = await stepper.step(b)
        if (!Number.isFinite(batchLoss)) throw new AppError('internal', `The loss became ${batchLoss} at epoch ${epoch + 1}, step ${step + 1}: lower the learning rate or check the data.`)
        step++
        batchIndex++
        lossSum += batchLoss * b.n
        accSum += (batchAcc ?? 0) * b.n
        seen += b.n
        epochSamples += b.n
        pending.push({ runId, name: 'batch_loss', step, epoch, value: batchLoss, wallTime: wall() })
        const now = performance.now()
        if (now - lastFlush >= flushMs) flush()
        if (now - lastProgress >= progressMs) {
          lastProgress = now
          const rate = epochSamples / Math.max(1e-3, (now - epochStart) / 1000)
          const remaining = (config.epochs - epoch - 1) * trainRows + (trainRows - batchIndex * config.batchSize)
          emit({ type: 'progress', progress: { runId, epoch, epochs: config.epochs, step, stepInEpoch: batchIndex, stepsPerEpoch, batchLoss, samplesPerSecond: rate, etaSeconds: rate > 0 ? Math.max(0, remaining) / rate : null, learningRate: lr } })
        }
        // Let the worker's message port deliver pause/stop: on fast backends every await above can
        // resolve as a microtask, which would starve the event loop for the whole run.
        if (now - lastYield >= 20) {
          lastYield = now
          await new Promise<void>((r) => setImmediate(r))
        }
        if (control.stopRequested) {
          await checkpointNow(epoch, batchIndex, false, null, false, { lossSum, accSum, seen })
          return 'stopped'
        }
        if (now - lastCheckpoint >= checkpointMs) await checkpointNow(epoch, batchIndex, false, null, false, { lossSum, accSum, seen })
      }
      skipBatches = 0
      const values: Record<string, number> = { loss: seen ? lossSum / seen : NaN, lr }
      if (task.kind === 'classification') values.accuracy = seen ? accSum / seen : NaN
      if (valRows > 0) {
        await stepper.sync()
        const v = await evaluateSplit(tf, model, { db, versionId: version.id, split: 'validation', config, task, rows: fold?.heldOut })
        values.val_loss = v.loss
        if (v.accuracy !== undefined) values.val_accuracy = v.accuracy
      }
      const epochSeconds = (performance.now() - epochStart) / 1000
      values.epoch_seconds = epochSeconds
      values.samples_per_second = epochSamples / Math.max(1e-3, epochSeconds)
      for (const [name, value] of Object.entries(values)) pending.push({ runId, name, step, epoch, value, wallTime: wall() })

      const monitor = config.earlyStopping?.monitor ?? (values.val_loss !== undefined ? 'val_loss' : 'loss')
      const current = values[monitor]
      const higherIsBetter = monitor.includes('accuracy')
      const improved = current !== undefined && (best === null || (higherIsBetter ? current > best.value : current < best.value))
      if (improved) {
        best = { value: current, epoch }
        badEpochs = 0
      } else badEpochs++
      lr = nextLearningRate(config, lr, epoch, improved, badEpochs)
      stepper.setLearningRate(lr)
      await checkpointNow(epoch, 0, true, current ?? null, improved)
      emit({ type: 'epoch', metrics: { runId, epoch, step, values, epochSeconds } })
      if (config.earlyStopping && badEpochs >= config.earlyStopping.patience) break
      // A stop sent in reply to this epoch (a study pruning at a rung) takes two turns of the event
      // loop to arrive (epoch out, stop back); a fused stepper can finish whole epochs in less.
      if (epoch < config.epochs - 1) {
        for (let turn = 0; turn < 2; turn++) await new Promise<void>((r) => setImmediate(r))
        if (control.stopRequested) return 'stopped'
      }
    }
    flush()
    await stepper.sync()

    if (config.earlyStopping?.restoreBest) {
      const bestCkpt = loadNewestCheckpoint(db, runId, 'best')
      if (bestCkpt) model.setWeights(bestCkpt.weights.map((w, i) => tf.tensor(w, bestCkpt.meta.weightShapes[i])))
    }
    const testRows = splitRows(db, version.id, 'test')
    const evalSplit: SplitName = testRows > 0 ? 'test' : valRows > 0 ? 'validation' : 'train'
    const result = await evaluateSplit(tf, model, { db, versionId: version.id, split: evalSplit, config, task, rows: evalSplit === 'validation' ? fold?.heldOut : undefined })
    saveEvaluation(db, runId, result.evaluation)
    model.dispose()
    return 'completed'
  }
  try {
    return await trainAndEvaluate()
  } finally {
    await stepper.dispose()
  }
}
