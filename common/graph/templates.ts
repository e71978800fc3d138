// Ready-made starting models, each a ModelGraph with tidy (auto-laid-out) positions.
import { defaultParams, type ParamValue } from './catalog'
import { computeLayout } from './layout'
import type { GraphEdge, GraphNode, LayerType, ModelGraph } from './types'

/** Template identifiers. */
export const TEMPLATE_NAMES = ['and_xor_mlp', 'spam_mlp', 'mnist_cnn', 'cifar10_cnn', 'text_cnn_lstm', 'resnet_block'] as const
/** One template identifier. */
export type TemplateName = (typeof TEMPLATE_NAMES)[number]

/** Knobs some templates honour (others ignore them). */
export interface TemplateOptions {
  /** spam_mlp: number of input features (default 57). */
  features?: number
  /** text_cnn_lstm: tokens per sample (default 200). */
  sequenceLength?: number
  /** text_cnn_lstm: vocabulary size (default 10000). */
  vocabSize?: number
}

/** A template's metadata plus its builder. */
export interface TemplateInfo {
  name: TemplateName
  title: string
  description: string
  build: (opts?: TemplateOptions) => ModelGraph
}

/** Small helper to write templates as code: add(type, name, params, inputs) → node id. */
class Builder {
  private readonly nodes: GraphNode[] = []
  private readonly edges: GraphEdge[] = []
  add(type: LayerType, name: string, params: Record<string, ParamValue> = {}, inputs: string[] = []): string {
    const id = `n${this.nodes.length + 1}`
    this.nodes.push({ id, type, name, params: { ...defaultParams(type), ...params }, position: { x: 0, y: 0 } })
    inputs.forEach((source, i) => {
      const edge: GraphEdge = { id: `e${this.edges.length + 1}`, source, target: id }
      if (inputs.length > 1) edge.targetIndex = i
      this.edges.push(edge)
    })
    return id
  }
  graph(): ModelGraph {
    const g: ModelGraph = { formatVersion: 1, nodes: this.nodes, edges: this.edges }
    const pos = computeLayout(g)
    for (const n of g.nodes) n.position = pos[n.id] ?? n.position
    return g
  }
}

function andXorMlp(): ModelGraph {
  const b = new Builder()
  const i = b.add('Input', 'input', { shape: [2] })
  const h = b.add('Dense', 'hidden', { units: 3, activation: 'sigmoid' }, [i])
  b.add('Dense', 'output', { units: 1, activation: 'sigmoid' }, [h])
  return b.graph()
}

function spamMlp(opts: TemplateOptions = {}): ModelGraph {
  const b = new Builder()
  const i = b.add('Input', 'input', { shape: [opts.features ?? 57] })
  const d1 = b.add('Dense', 'dense_1', { units: 512, activation: 'relu' }, [i])
  const dr = b.add('Dropout', 'dropout_1', { rate: 0.5 }, [d1])
  const d2 = b.add('Dense', 'dense_2', { units: 256, activation: 'relu' }, [dr])
  b.add('Dense', 'output', { units: 1, activation: 'sigmoid' }, [d2])
  return b.graph()
}

function mnistCnn(): ModelGraph {
  const b = new Builder()
  const i = b.add('Input', 'input', { shape: [28, 28, 1] })
  const c = b.add('Conv2D', 'conv2d_1', { filters: 32, kernelSize: [3, 3], activation: 'relu' }, [i])
  const p = b.add('MaxPooling2D', 'max_pooling2d_1', { poolSize: [2, 2] }, [c])
  const f = b.add('Flatten', 'flatten_1', {}, [p])
  const d = b.add('Dense', 'dense_1', { units: 128, activation: 'relu' }, [f])
  b.add('Dense', 'output', { units: 10, activation: 'softmax' }, [d])
  return b.graph()
}

function cifar10Cnn(): ModelGraph {
  const b = new Builder()
  const i = b.add('Input', 'input', { shape: [32, 32, 3] })
  const c1 = b.add('Conv2D', 'conv2d_1', { filters: 64, kernelSize: [3, 3], padding: 'same', activation: 'relu' }, [i])
  const p1 = b.add('MaxPooling2D', 'max_pooling2d_1', { poolSize: [2, 2] }, [c1])
  const c2 = b.add('Conv2D', 'conv2d_2', { filters: 128, kernelSize: [3, 3], padding: 'same', activation: 'relu' }, [p1])
  const p2 = b.add('MaxPooling2D', 'max_pooling2d_2', { poolSize: [2, 2] }, [c2])
  const f = b.add('Flatten', 'flatten_1', {}, [p2])
  const d = b.add('Dense', 'dense_1', { units: 512, activation: 'relu' }, [f])
  b.add('Dense', 'output', { units: 10, activation: 'softmax' }, [d])
  return b.graph()
}

function textCnnLstm(opts: TemplateOptions = {}): ModelGraph {
  const b = new Builder()
  const i = b.add('Input', 'input', { shape: [opts.sequenceLength ?? 200], dtype: 'int32' })
  const e = b.add('Embedding', 'embedding_1', { inputDim: opts.vocabSize ?? 10000, outputDim: 64 }, [i])
  const c = b.add('Conv1D', 'conv1d_1', { filters: 32, kernelSize: 7, activation: 'relu' }, [e])
  const p = b.add('MaxPooling1D', 'max_pooling1d_1', { poolSize: 5 }, [c])
  const l = b.add('LSTM', 'lstm_1', { units: 50 }, [p])
  b.add('Dense', 'output', { units: 2, activation: 'softmax' }, [l])
  return b.graph()
}

function resnetBlock(): ModelGraph {
  const b = new Builder()
  const i = b.add('Input', 'input', { shape: [32, 32, 3] })
  const stem = b.add('Conv2D', 'stem', { filters: 32, kernelSize: [3, 3], padding: 'same', activation: 'relu' }, [i])
  const c1 = b.add('Conv2D', 'block_conv_1', { filters: 32, kernelSize: [3, 3], padding: 'same', activation: 'relu' }, [stem])
  const c2 = b.add('Conv2D', 'block_conv_2', { filters: 32, kernelSize: [3, 3], padding: 'same', activation: 'linear' }, [c1])
  const add = b.add('Add', 'skip_add', {}, [stem, c2])
  const act = b.add('Activation', 'block_relu', { activation: 'relu' }, [add])
  const gap = b.add('GlobalAveragePooling2D', 'global_pool', {}, [act])
  b.add('Dense', 'output', { units: 10, activation: 'softmax' }, [gap])
  return b.graph()
}

/** All templates with titles and one-line descriptions. */
export const TEMPLATES: Readonly<Record<TemplateName, TemplateInfo>> = {
  and_xor_mlp: {
    name: 'and_xor_mlp',
    title: 'Logic gates (AND / XOR)',
    description: 'Tiny MLP: 2 inputs → 3 sigmoid units → 1 sigmoid output; learns AND, OR or XOR.',
    build: andXorMlp,
  },
  spam_mlp: {
    name: 'spam_mlp',
    title: 'Spam classifier (tabular MLP)',
    description: 'Dense 512 → Dropout → Dense 256 → 1 sigmoid unit for yes/no on tabular features (57 by default).',
    build: spamMlp,
  },
  mnist_cnn: {
    name: 'mnist_cnn',
    title: 'Digits CNN (MNIST)',
    description: 'One conv + pool stage, then Dense 128 → 10-way softmax for 28×28 grayscale digits.',
    build: mnistCnn,
  },
  cifar10_cnn: {
    name: 'cifar10_cnn',
    title: 'Small image CNN (CIFAR-10)',
    description: 'Two conv + pool stages (64, 128 filters), Dense 512 → 10-way softmax for 32×32 colour images.',
    build: cifar10Cnn,
  },
  text_cnn_lstm: {
    name: 'text_cnn_lstm',
    title: 'Text classifier (CNN + LSTM)',
    description: 'Token ids → Embedding → Conv1D → MaxPooling1D → LSTM 50 → 2-way softmax, e.g. sentiment.',
    build: textCnnLstm,
  },
  resnet_block: {
    name: 'resnet_block',
    title: 'Residual block (ResNet-style)',
    description: 'A conv stem plus one residual block (two convs added back onto the skip path), pooled to a 10-way softmax.',
    build: resnetBlock,
  },
}

/** Builds a fresh copy of a template graph. */
export function buildTemplate(name: TemplateName, opts?: TemplateOptions): ModelGraph {
  return TEMPLATES[name].build(opts)
}

/** Template metadata for pickers (without builders). */
export function listTemplates(): { name: TemplateName; title: string; description: string }[] {
  return TEMPLATE_NAMES.map((n) => ({ name: n, title: TEMPLATES[n].title, description: TEMPLATES[n].description }))
}
