import type { DatasetVersionRecord, TrainConfig } from '../../../preload/contract'

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

/** The loss a dataset version suggests: binary for 2 classes, categorical for more, MSE for numbers. */
export function suggestedLoss(v: DatasetVersionRecord): TrainConfig['loss'] {
  if (v.schema.kind === 'image') return v.schema.classes.length === 2 ? 'binaryCrossentropy' : 'categoricalCrossentropy'
  const t = v.recipe?.target
  if (!t || t.task === 'regression') return 'meanSquaredError'
  return (t.classes?.length ?? 0) === 2 ? 'binaryCrossentropy' : 'categoricalCrossentropy'
}
