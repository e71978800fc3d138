// Hand-written graphs that pin the ONNX conversions the random graphs reach only by chance:
// every recurrent cell and merge mode with whole sequences, transposed convolutions with kernel
// smaller and larger than the stride, dilated separable convolutions, and every activation.
import { ACTIVATIONS } from '../../common/graph/catalog'
import type { ModelGraph } from '../../common/graph/types'
import { g, type NodeSpec } from './graphFixtures'

/** A chain of layers, each feeding the next. */
function chain(nodes: NodeSpec[]): ModelGraph {
  const edges: [string, string][] = nodes.slice(1).map((n, i) => [nodes[i]?.[0] as string, n[0]])
  return g(nodes, edges)
}

/** Named coverage graphs. */
export function coverageGraphs(): Record<string, ModelGraph> {
  const out: Record<string, ModelGraph> = {}
  for (const cell of ['SimpleRNN', 'LSTM', 'GRU']) {
    for (const mergeMode of ['concat', 'sum', 'mul', 'ave']) {
      out[`bidirectional_${cell}_${mergeMode}_sequences`] = chain([
        ['in', 'Input', { shape: [7, 3] }],
        ['bi', 'Bidirectional', { layer: cell, mergeMode, units: 4, returnSequences: true, recurrentActivation: 'hardSigmoid' }],
        ['rnn', cell, { units: 3, returnSequences: false, activation: 'relu' }],
        ['out', 'Dense', { units: 2, activation: 'linear' }],
      ])
    }
  }
  // Every activation the ONNX recurrent ops take (with alpha/beta where they have them). Softplus
  // gates are left out: unbounded gates let the LSTM cell overflow on both sides alike.
  for (const cell of ['SimpleRNN', 'LSTM', 'GRU']) {
    for (const a of ['elu', 'softsign', 'softplus', 'linear', 'relu']) {
      out[`${cell}_activation_${a}`] = chain([
        ['in', 'Input', { shape: [6, 3] }],
        ['r', cell, { units: 4, activation: a, recurrentActivation: a === 'softplus' || a === 'relu' ? 'hardSigmoid' : a, returnSequences: true }],
      ])
    }
  }
  out.lstm_no_bias_sequences_linear = chain([
    ['in', 'Input', { shape: [5, 2] }],
    ['lstm', 'LSTM', { units: 3, returnSequences: true, useBias: false }],
  ])
  for (const [k, s, padding] of [[3, 2, 'same'], [1, 2, 'same'], [1, 3, 'valid'], [4, 2, 'valid'], [2, 2, 'same'], [3, 1, 'valid']] as const) {
    out[`conv2d_transpose_k${k}_s${s}_${padding}`] = chain([
      ['in', 'Input', { shape: [4, 5, 2] }],
      ['up', 'Conv2DTranspose', { filters: 3, kernelSize: [k, k], strides: [s, s], padding, activation: 'linear' }],
      ['flat', 'Flatten'],
    ])
  }
  out.separable_dilated_same = chain([
    ['in', 'Input', { shape: [9, 8, 3] }],
    ['sep', 'SeparableConv2D', { filters: 4, kernelSize: [3, 3], dilationRate: [2, 2], padding: 'same', depthMultiplier: 2, activation: 'linear' }],
    ['sep2', 'SeparableConv2D', { filters: 2, kernelSize: [2, 3], strides: [2, 2], padding: 'same', activation: 'linear' }],
    ['flat', 'Flatten'],
  ])
  out.conv1d_dilated_pools = chain([
    ['in', 'Input', { shape: [11, 2] }],
    ['c', 'Conv1D', { filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'linear' }],
    ['mp', 'MaxPooling1D', { poolSize: 3, strides: 2, padding: 'same' }],
    ['ap', 'AveragePooling1D', { poolSize: 2, strides: 1, padding: 'same' }],
    ['flat', 'Flatten'],
  ])
  const acts: NodeSpec[] = [['in', 'Input', { shape: [6] }]]
  ACTIVATIONS.forEach((a, i) => {
    acts.push([`d${i}`, 'Dense', { units: 6, activation: 'linear' }])
    acts.push([`a${i}`, 'Activation', { activation: a }])
  })
  out.every_activation = chain(acts)
  out.reshape_embedding_float_ids = chain([
    ['in', 'Input', { shape: [12] }],
    ['r', 'Reshape', { targetShape: [3, -1] }],
    ['emb', 'Embedding', { inputDim: 1, outputDim: 3 }],
    ['flat', 'Flatten'],
  ])
  return out
}
