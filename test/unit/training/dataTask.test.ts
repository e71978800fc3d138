import { describe, expect, it } from 'vitest'
import { buildTemplate } from '../../../common/graph/templates'
import type { TrainConfig } from '../../../common/contract'
import { checkFit, type DataTask } from '../../../main/training/dataTask'

const config = { loss: 'categoricalCrossentropy' } as TrainConfig
const task: DataTask = { inputShape: [40], kind: 'classification', classes: ['negative', 'positive'], vocabSize: 500 }

describe('checkFit on token datasets', () => {
  it('accepts an Embedding with a row for every token id', () => {
    expect(() => checkFit(buildTemplate('text_cnn_lstm', { sequenceLength: 40, vocabSize: 500 }), task, config)).not.toThrow()
  })

  it('refuses an Embedding smaller than the vocabulary, naming the layer', () => {
    expect(() => checkFit(buildTemplate('text_cnn_lstm', { sequenceLength: 40, vocabSize: 100 }), task, config)).toThrow(/Embedding layer "embedding_1" has inputDim 100 .* at least 500/)
  })

  it('refuses an Input whose length is not the sequence length', () => {
    expect(() => checkFit(buildTemplate('text_cnn_lstm', { vocabSize: 500 }), task, config)).toThrow('set the Input shape to [40]')
  })
})
