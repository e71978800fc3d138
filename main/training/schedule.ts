import type { TrainConfig } from '../../common/contract'

/** The learning rate for the next epoch under the run's schedule. */
export function nextLearningRate(config: TrainConfig, lr: number, epoch: number, improved: boolean, badEpochs: number): number {
  const s = config.schedule
  switch (s.kind) {
    case 'none':
      return lr
    case 'step':
      return (epoch + 1) % s.everyEpochs === 0 ? lr * s.factor : lr
    case 'exponential':
      return lr * s.decayPerEpoch
    case 'plateau':
      return !improved && badEpochs > 0 && badEpochs % s.patience === 0 ? Math.max(s.minLr, lr * s.factor) : lr
  }
}
