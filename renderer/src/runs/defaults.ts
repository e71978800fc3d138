import type { TrainConfig } from '../../../common/contract'

/** Hyperparameters a new run starts from. */
export const DEFAULT_CONFIG: TrainConfig = {
  optimizer: 'adam',
  learningRate: 0.001,
  momentum: 0.9,
  schedule: { kind: 'none' },
  batchSize: 32,
  epochs: 10,
  loss: 'categoricalCrossentropy',
  earlyStopping: null,
  seed: 42,
  backend: 'auto',
  keepCheckpoints: 3,
}
