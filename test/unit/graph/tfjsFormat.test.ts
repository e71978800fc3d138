// Export to / import from the Keras topology JSON that tfjs-layers reads and writes.
import { describe, expect, it } from 'vitest'
import { fromTfjs } from '../../../common/graph/fromTfjs'
import { KerasFormatError } from '../../../common/graph/kerasFormat'
import { buildTemplate, TEMPLATE_NAMES } from '../../../common/graph/templates'
import { GraphExportError, toTfjs } from '../../../common/graph/toTfjs'
import { inferGraph } from '../../../common/graph/infer'
import type { ModelGraph } from '../../../common/graph/types'
import { g, normalize } from '../../helpers/graphFixtures'
import { randomGraph } from '../../helpers/randomGraph'

const viaJsonText = (graph: ModelGraph): ModelGraph => fromTfjs(JSON.stringify(toTfjs(graph))).graph

describe('toTfjs', () => {
  it('writes a Keras functional model with snake_case configs', () => {
    const json = toTfjs(buildTemplate('mnist_cnn'), { name: 'digits' })
    expect(json.class_name).toBe('Model')
    expect(json.config.name).toBe('digits')
    expect(json.config.input_layers).toEqual([['input', 0, 0]])
    expect(json.config.output_layers).toEqual([['output', 0, 0]])
    const [input, conv] = json.config.layers
    expect(input).toMatchObject({ class_name: 'InputLayer', name: 'input', inbound_nodes: [], config: { batch_input_shape: [null, 28, 28, 1], dtype: 'float32' } })
    expect(conv).toMatchObject({ class_name: 'Conv2D', inbound_nodes: [[['input', 0, 0, {}]]] })
    expect(conv?.config).toMatchObject({ filters: 32, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', activation: 'relu', use_bias: true, data_format: 'channels_last' })
    expect(conv?.config.kernel_initializer).toEqual({ class_name: 'GlorotUniform', config: { seed: null } })
    expect(conv?.config.kernel_regularizer).toBeNull()
    for (const l of json.config.layers) for (const k of Object.keys(l.config)) expect(k).toMatch(/^[a-z0-9_]+$/)
  })

  it('writes regularizers, hard_sigmoid and merge inputs in slot order', () => {
    const graph = g(
      [['in', 'Input', { shape: [6, 3] }], ['l', 'LSTM', { units: 2, recurrentActivation: 'hardSigmoid', kernelL2: 0.01, returnSequences: true }], ['c', 'Conv1D', { filters: 2, padding: 'same' }], ['cat', 'Concatenate'], ['f', 'Flatten'], ['d', 'Dense']],
      [['in', 'l'], ['in', 'c'], ['l', 'cat'], ['c', 'cat'], ['cat', 'f'], ['f', 'd']],
    )
    graph.edges[2]!.targetIndex = 1
    graph.edges[3]!.targetIndex = 0
    const layers = toTfjs(graph).config.layers
    const lstm = layers.find((l) => l.name === 'l')
    expect(lstm?.config.recurrent_activation).toBe('hard_sigmoid')
    expect(lstm?.config.kernel_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.01 } })
    expect(layers.find((l) => l.name === 'c')?.config.kernel_size).toEqual([3])
    expect(layers.find((l) => l.name === 'cat')?.inbound_nodes).toEqual([[['c', 0, 0, {}], ['l', 0, 0, {}]]])
  })

  it('refuses a graph with errors, listing them', () => {
    const bad = g([['in', 'Input', { shape: [10] }], ['c', 'Conv2D']], [['in', 'c']])
    expect(() => toTfjs(bad)).toThrow(GraphExportError)
    try {
      toTfjs(bad)
    } catch (e) {
      expect((e as GraphExportError).issues.map((i) => i.code)).toEqual(['E008'])
    }
  })
})

describe('round trip (export then import)', () => {
  for (const name of TEMPLATE_NAMES) {
    it(`template ${name}`, () => {
      const graph = buildTemplate(name)
      expect(normalize(viaJsonText(graph))).toEqual(normalize(graph))
    })
  }
  it('30 random graphs', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const graph = randomGraph(seed * 104729)
      expect(normalize(viaJsonText(graph)), `seed ${seed * 104729}`).toEqual(normalize(graph))
    }
  })
  it('keeps non-default settings: initializers, regularizers, dtype, bidirectional', () => {
    const graph = g(
      [
        ['in', 'Input', { shape: [12], dtype: 'int32' }],
        ['e', 'Embedding', { inputDim: 50, outputDim: 4, embeddingsInitializer: 'heNormal', embeddingsL1: 0.001 }],
        ['b', 'Bidirectional', { layer: 'GRU', units: 3, mergeMode: 'sum', kernelInitializer: 'leCunUniform', recurrentInitializer: 'glorotNormal', biasL2: 0.5 }],
        ['s', 'SeparableConv2D'],
      ],
      [['in', 'e'], ['e', 'b']],
    )
    graph.nodes.pop()
    const back = viaJsonText(graph)
    expect(normalize(back)).toEqual(normalize(graph))
    expect(inferGraph(back).nodes[back.nodes[2]!.id]?.outputShape).toEqual([3])
  })
  it('the graph itself survives JSON', () => {
    const graph = buildTemplate('resnet_block')
    expect(JSON.parse(JSON.stringify(graph))).toEqual(graph)
  })
})

describe('fromTfjs', () => {
  it('imports a Keras-converter Sequential model.json (model_config wrapper, batch_input_shape on the first layer)', () => {
    const modelJson = {
      format: 'layers-model',
      modelTopology: {
        keras_version: '2.15.0',
        backend: 'tensorflow',
        model_config: {
          class_name: 'Sequential',
          config: {
            name: 'sequential',
            layers: [
              { class_name: 'Conv2D', config: { name: 'conv2d', batch_input_shape: [null, 28, 28, 1], dtype: 'float32', filters: 8, kernel_size: [5, 5], strides: [1, 1], padding: 'same', data_format: 'channels_last', activation: 'relu', use_bias: true, kernel_initializer: { class_name: 'HeUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: { class_name: 'L2', config: { l2: 0.0005 } }, kernel_constraint: { class_name: 'MaxNorm', config: { max_value: 2 } } } },
              { class_name: 'MaxPooling2D', config: { name: 'max_pooling2d', pool_size: [2, 2], strides: [2, 2], padding: 'valid' } },
              { class_name: 'Flatten', config: { name: 'flatten' } },
              { class_name: 'Dense', config: { name: 'dense', units: 10, activation: 'softmax', kernel_initializer: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform' } } } },
            ],
          },
        },
      },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [] }],
    }
    const { graph, warnings } = fromTfjs(modelJson)
    expect(graph.nodes.map((n) => n.type)).toEqual(['Input', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense'])
    expect(graph.nodes[0]).toMatchObject({ name: 'conv2d_input', params: { shape: [28, 28, 1] } })
    expect(graph.nodes[1]?.params).toMatchObject({ kernelSize: [5, 5], padding: 'same', kernelInitializer: 'heUniform', kernelL2: 0.0005 })
    expect(graph.nodes[2]?.params.strides).toBeNull()
    expect(graph.nodes[4]?.params).toMatchObject({ kernelInitializer: 'glorotUniform', activation: 'softmax' })
    expect(warnings.join('\n')).toMatch(/conv2d.*kernel_constraint/)
    const r = inferGraph(graph)
    expect(r.issues).toEqual([])
    expect(r.nodes[graph.nodes[4]!.id]?.outputShape).toEqual([10])
    const ys = graph.nodes.map((n) => n.position.y)
    expect([...ys].sort((a, b) => a - b)).toEqual(ys)
    expect(new Set(ys).size).toBe(ys.length)
  })

  it('imports a Keras 3 functional topology (dict inbound_nodes, batch_shape)', () => {
    const ref = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: [name, 0, 0] } })
    const topo = {
      class_name: 'Functional',
      config: {
        name: 'functional',
        layers: [
          { class_name: 'InputLayer', name: 'x', config: { batch_shape: [null, 4], dtype: 'float32', name: 'x' }, inbound_nodes: [] },
          { class_name: 'Dense', name: 'a', config: { name: 'a', units: 4, activation: 'silu' }, inbound_nodes: [{ args: [ref('x')], kwargs: {} }] },
          { class_name: 'Dense', name: 'b', config: { name: 'b', units: 4 }, inbound_nodes: [{ args: [ref('x')], kwargs: {} }] },
          { class_name: 'Add', name: 'sum', config: { name: 'sum' }, inbound_nodes: [{ args: [[ref('b'), ref('a')]], kwargs: {} }] },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['sum', 0, 0]],
      },
    }
    const { graph } = fromTfjs(topo)
    expect(graph.nodes.map((n) => n.type)).toEqual(['Input', 'Dense', 'Dense', 'Add'])
    expect(graph.nodes[1]?.params.activation).toBe('swish')
    expect(graph.nodes[2]?.params.activation).toBe('linear')
    const into = graph.edges.filter((e) => e.target === graph.nodes[3]!.id).sort((p, q) => (p.targetIndex ?? 0) - (q.targetIndex ?? 0))
    expect(into.map((e) => graph.nodes.find((n) => n.id === e.source)?.name)).toEqual(['b', 'a'])
    expect(inferGraph(graph).issues).toEqual([])
  })

  const seq = (layer: Record<string, unknown>) => ({
    class_name: 'Sequential',
    config: { name: 's', layers: [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 5, 3] } }, layer] },
  })

  it('names the layer and class of unsupported layers', () => {
    expect(() => fromTfjs(seq({ class_name: 'Conv3D', config: { name: 'vol' } }))).toThrow(KerasFormatError)
    expect(() => fromTfjs(seq({ class_name: 'Conv3D', config: { name: 'vol' } }))).toThrow(/'vol'.*Conv3D/)
  })

  it('refuses settings tfjs 4.22 cannot run or we cannot represent', () => {
    expect(() => fromTfjs(seq({ class_name: 'GRU', config: { name: 'g', units: 2, reset_after: true } }))).toThrow(/'g'.*reset_after/)
    expect(() => fromTfjs(seq({ class_name: 'Conv1D', config: { name: 'c', filters: 2, kernel_size: [3], padding: 'causal' } }))).toThrow(/'c'.*causal/)
    expect(() => fromTfjs(seq({ class_name: 'Dense', config: { name: 'd', units: 2, activation: 'exponential' } }))).toThrow(/'d'.*exponential/)
    expect(() => fromTfjs(seq({ class_name: 'Dense', config: { name: 'd', units: -2 } }))).toThrow(/'d'.*units/)
    expect(() => fromTfjs({ hello: 1 })).toThrow(KerasFormatError)
    expect(() => fromTfjs({ class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd', units: 1 } }] } })).toThrow(/input shape/)
  })

  it('accepts old-style Sequential configs (a bare list of layers)', () => {
    const { graph } = fromTfjs({ class_name: 'Sequential', config: [{ class_name: 'Dense', config: { name: 'd', units: 3, batch_input_shape: [null, 7] } }] })
    expect(graph.nodes.map((n) => `${n.type}:${n.name}`)).toEqual(['Input:d_input', 'Dense:d'])
  })
})
