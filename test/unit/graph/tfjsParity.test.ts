// Our shape and parameter inference must agree with what tfjs-layers itself builds, both from
// our exported topology JSON and (for templates) from models written directly with tf.layers.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildTemplate, TEMPLATE_NAMES, type TemplateName } from '../../../common/graph/templates'
import { inferGraph } from '../../../common/graph/infer'
import { toTfjsJson } from '../../../common/graph/toTfjs'
import { fromTfjs } from '../../../common/graph/fromTfjs'
import { LAYER_TYPES, type ModelGraph } from '../../../common/graph/types'
import { randomGraph } from '../../helpers/randomGraph'
import { normalize } from '../../helpers/graphFixtures'

type Summary = Record<string, { shape: (number | null)[]; trainable: number; nonTrainable: number }>

const count = (ws: tf.LayerVariable[]): number => ws.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b as number), 1), 0)

/** Per-layer output shape (batch dropped) and weight counts as tfjs-layers reports them. */
function tfjsSummary(model: tf.LayersModel): Summary {
  const out: Summary = {}
  for (const l of model.layers) {
    const shape = l.outputShape as (number | null)[]
    out[l.name] = { shape: shape.slice(1), trainable: count(l.trainableWeights), nonTrainable: count(l.nonTrainableWeights) }
  }
  return out
}

/** The same view from our inference. */
function ourSummary(graph: ModelGraph): Summary {
  const r = inferGraph(graph)
  const out: Summary = {}
  for (const n of graph.nodes) {
    const info = r.nodes[n.id]
    if (!info?.outputShape) throw new Error(`no shape for ${n.name}`)
    out[n.name] = { shape: info.outputShape, trainable: info.params.trainable, nonTrainable: info.params.nonTrainable }
  }
  return out
}

async function fromOurJson(graph: ModelGraph): Promise<tf.LayersModel> {
  return tf.models.modelFromJSON(toTfjsJson(graph) as unknown as Parameters<typeof tf.models.modelFromJSON>[0])
}

// Hand-written tf.layers versions of the templates, with the same layer names.
const direct: Record<TemplateName, () => tf.LayersModel> = {
  and_xor_mlp: () =>
    tf.sequential({
      layers: [
        tf.layers.dense({ name: 'hidden', inputShape: [2], units: 3, activation: 'sigmoid' }),
        tf.layers.dense({ name: 'output', units: 1, activation: 'sigmoid' }),
      ],
    }),
  spam_mlp: () =>
    tf.sequential({
      layers: [
        tf.layers.dense({ name: 'dense_1', inputShape: [57], units: 512, activation: 'relu' }),
        tf.layers.dropout({ name: 'dropout_1', rate: 0.5 }),
        tf.layers.dense({ name: 'dense_2', units: 256, activation: 'relu' }),
        tf.layers.dense({ name: 'output', units: 1, activation: 'sigmoid' }),
      ],
    }),
  mnist_cnn: () =>
    tf.sequential({
      layers: [
        tf.layers.conv2d({ name: 'conv2d_1', inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ name: 'max_pooling2d_1', poolSize: 2 }),
        tf.layers.flatten({ name: 'flatten_1' }),
        tf.layers.dense({ name: 'dense_1', units: 128, activation: 'relu' }),
        tf.layers.dense({ name: 'output', units: 10, activation: 'softmax' }),
      ],
    }),
  cifar10_cnn: () =>
    tf.sequential({
      layers: [
        tf.layers.conv2d({ name: 'conv2d_1', inputShape: [32, 32, 3], filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.maxPooling2d({ name: 'max_pooling2d_1', poolSize: 2 }),
        tf.layers.conv2d({ name: 'conv2d_2', filters: 128, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.maxPooling2d({ name: 'max_pooling2d_2', poolSize: 2 }),
        tf.layers.flatten({ name: 'flatten_1' }),
        tf.layers.dense({ name: 'dense_1', units: 512, activation: 'relu' }),
        tf.layers.dense({ name: 'output', units: 10, activation: 'softmax' }),
      ],
    }),
  text_cnn_lstm: () =>
    tf.sequential({
      layers: [
        tf.layers.embedding({ name: 'embedding_1', inputShape: [200], inputDim: 10000, outputDim: 64 }),
        tf.layers.conv1d({ name: 'conv1d_1', filters: 32, kernelSize: 7, activation: 'relu' }),
        tf.layers.maxPooling1d({ name: 'max_pooling1d_1', poolSize: 5 }),
        // glorot instead of orthogonal only to keep the test fast; counts don't depend on it
        tf.layers.lstm({ name: 'lstm_1', units: 50, recurrentInitializer: 'glorotUniform' }),
        tf.layers.dense({ name: 'output', units: 2, activation: 'softmax' }),
      ],
    }),
  resnet_block: () => {
    const input = tf.input({ name: 'input', shape: [32, 32, 3] })
    const stem = tf.layers.conv2d({ name: 'stem', filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input) as tf.SymbolicTensor
    const c1 = tf.layers.conv2d({ name: 'block_conv_1', filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(stem) as tf.SymbolicTensor
    const c2 = tf.layers.conv2d({ name: 'block_conv_2', filters: 32, kernelSize: 3, padding: 'same' }).apply(c1) as tf.SymbolicTensor
    const add = tf.layers.add({ name: 'skip_add' }).apply([stem, c2]) as tf.SymbolicTensor
    const act = tf.layers.activation({ name: 'block_relu', activation: 'relu' }).apply(add) as tf.SymbolicTensor
    const gap = tf.layers.globalAveragePooling2d({ name: 'global_pool' }).apply(act) as tf.SymbolicTensor
    const out = tf.layers.dense({ name: 'output', units: 10, activation: 'softmax' }).apply(gap) as tf.SymbolicTensor
    return tf.model({ inputs: input, outputs: out })
  },
}

/** What `model.save()` would write as model.json (topology + weights manifest), via a save handler. */
async function savedModelJson(model: tf.LayersModel): Promise<unknown> {
  let json: unknown
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      json = { modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] }
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    }),
  )
  return json
}

/** Drops the input layer entry, whose name differs between Sequential and our graphs. */
function withoutInputs(s: Summary, graph: ModelGraph): Summary {
  const inputs = new Set(graph.nodes.filter((n) => n.type === 'Input').map((n) => n.name))
  return Object.fromEntries(Object.entries(s).filter(([name]) => !inputs.has(name) && !name.endsWith('_input')))
}

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('templates agree with tfjs-layers', () => {
  for (const name of TEMPLATE_NAMES) {
    it(`${name}: from our JSON and from tf.layers directly`, async () => {
      // text_cnn_lstm via JSON uses the template's orthogonal recurrent init (slow in tfjs), so
      // test the JSON path of that one with a glorot recurrent init: counts don't change.
      const graph = buildTemplate(name)
      if (name === 'text_cnn_lstm') {
        for (const n of graph.nodes) if (n.type === 'LSTM') n.params.recurrentInitializer = 'glorotUniform'
      }
      const ours = ourSummary(graph)
      const viaJson = await fromOurJson(graph)
      expect(tfjsSummary(viaJson)).toEqual(ours)
      const r = inferGraph(graph)
      expect(viaJson.countParams()).toBe(r.totals.trainable + r.totals.nonTrainable)
      expect(r.issues).toEqual([])

      const built = direct[name]()
      expect(withoutInputs(tfjsSummary(built), graph)).toEqual(withoutInputs(ours, graph))
      expect(built.countParams()).toBe(viaJson.countParams())

      // tfjs's own serialization imports back to the same graph
      expect(normalize(fromTfjs(viaJson.toJSON(null, false)).graph)).toEqual(normalize(graph))
      expect(normalize(fromTfjs(await savedModelJson(viaJson)).graph)).toEqual(normalize(graph))
      viaJson.dispose()
      built.dispose()
    })
  }
})

describe('random graphs agree with tfjs-layers', () => {
  const seeds = Array.from({ length: 80 }, (_, i) => 1000 + i * 7919)
  it('together cover every layer type of the catalog', () => {
    const types = new Set(seeds.flatMap((s) => randomGraph(s).nodes.map((n) => n.type)))
    expect([...LAYER_TYPES].filter((t) => !types.has(t))).toEqual([])
  })
  for (const seed of seeds) {
    it(`seed ${seed}`, async () => {
      const graph = randomGraph(seed)
      const r = inferGraph(graph)
      expect(r.issues.filter((i) => i.severity === 'error')).toEqual([])
      const model = await fromOurJson(graph)
      expect(tfjsSummary(model)).toEqual(ourSummary(graph))
      expect(model.countParams()).toBe(r.totals.trainable + r.totals.nonTrainable)
      // what model.save() writes imports back to the same graph
      const imported = fromTfjs(await savedModelJson(model))
      expect(normalize(imported.graph)).toEqual(normalize(graph))
      expect(imported.warnings).toEqual([])
      model.dispose()
    })
  }
})
