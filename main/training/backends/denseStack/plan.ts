// Which models the fused dense stepper takes, read from the compiled tfjs model itself (not the
// graph), so what it runs is exactly what tfjs-layers would have run: a single chain Input →
// (Dense | Dropout | Activation | Flatten)* with every Dense on a flat input, with the activations, regularizers,
// losses and optimizers whose tfjs formulas the stepper reproduces. Anything else: null.
import type * as TF from '@tensorflow/tfjs'
import type { TrainConfig } from '../../../../common/contract'

/** Element-wise activations the stepper computes (tfjs-layers names). */
export type ActivationKind = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax'

/** L1/L2 penalty factors of one weight (tfjs-layers' L1L2 regularizer; both 0 = none). */
export interface Penalty {
  l1: number
  l2: number
}

/** One operation of the chain, in forward order. */
export type StackOp =
  | { kind: 'dense'; inputs: number; units: number; kernel: TF.LayerVariable; bias: TF.LayerVariable | null; kernelPenalty: Penalty; biasPenalty: Penalty }
  | { kind: 'activation'; width: number; activation: ActivationKind }
  | { kind: 'dropout'; width: number; rate: number }

/** Losses with a fused formula (contract names). */
export type StackLoss = 'meanSquaredError' | 'meanAbsoluteError' | 'binaryCrossentropy' | 'categoricalCrossentropy'

/** A model the stepper can run. */
export interface StackPlan {
  inputs: number
  ops: StackOp[]
  outputs: number
  loss: StackLoss
  /** Which accuracy tfjs-layers reports for this loss and output width (none for regression losses). */
  accuracy: 'binary' | 'categorical' | null
  /** The trainable variables in tfjs's own order (model.trainableWeights), which optimizer state follows. */
  variables: TF.LayerVariable[]
}

const ACTIVATIONS: readonly string[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax']
const LOSSES: readonly string[] = ['meanSquaredError', 'meanAbsoluteError', 'binaryCrossentropy', 'categoricalCrossentropy']

/** A serialized regularizer as a penalty; null when it is not a plain L1L2. */
function penaltyOf(reg: unknown): Penalty | null {
  if (reg === null || reg === undefined) return { l1: 0, l2: 0 }
  const r = reg as { className?: string; config?: { l1?: number; l2?: number } }
  if (r.className !== 'L1L2') return null
  return { l1: r.config?.l1 ?? 0, l2: r.config?.l2 ?? 0 }
}

/** The layer a layer reads from, or null when it does not read exactly one tensor of one node. */
function inboundOf(layer: TF.layers.Layer): TF.layers.Layer | null {
  const nodes = (layer as unknown as { inboundNodes: { inboundLayers: TF.layers.Layer[] }[] }).inboundNodes
  if (nodes.length !== 1 || nodes[0]?.inboundLayers.length !== 1) return null
  return nodes[0].inboundLayers[0] ?? null
}

/** The plan of a compiled model and run config, or null when the fused stepper does not support them. */
export function planDenseStack(model: TF.LayersModel, config: TrainConfig, classes: number): StackPlan | null {
  if (!LOSSES.includes(config.loss)) return null
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return null
  const layers = model.layers
  const first = layers[0]
  if (!first || first.getClassName() !== 'InputLayer') return null
  const inShape = model.inputs[0]?.shape.slice(1) ?? []
  if (inShape.some((d) => typeof d !== 'number')) return null
  // A batch's rows are row-major, so a Flatten is the identity on them; Dense needs a flat input.
  const inputs = (inShape as number[]).reduce((a, b) => a * b, 1)
  let flat = inShape.length === 1
  let width = inputs
  const ops: StackOp[] = []
  const used = new Set<TF.LayerVariable>()
  for (let i = 1; i < layers.length; i++) {
    const layer = layers[i] as TF.layers.Layer
    if (inboundOf(layer) !== layers[i - 1]) return null
    const cfg = layer.getConfig() as Record<string, unknown>
    switch (layer.getClassName()) {
      case 'Dense': {
        if (!flat || !layer.trainable || cfg.activityRegularizer || cfg.kernelConstraint || cfg.biasConstraint) return null
        const activation = String(cfg.activation)
        if (!ACTIVATIONS.includes(activation)) return null
        const kernelPenalty = penaltyOf(cfg.kernelRegularizer)
        const biasPenalty = penaltyOf(cfg.biasRegularizer)
        if (!kernelPenalty || !biasPenalty) return null
        const weights = layer.weights as unknown as TF.LayerVariable[]
        const units = cfg.units as number
        const kernel = weights[0]
        const bias = cfg.useBias ? weights[1] : null
        if (!kernel || kernel.shape.join() !== `${width},${units}` || (cfg.useBias && bias?.shape.join() !== `${units}`)) return null
        if (weights.length !== (bias ? 2 : 1)) return null
        ops.push({ kind: 'dense', inputs: width, units, kernel, bias: bias ?? null, kernelPenalty, biasPenalty })
        used.add(kernel)
        if (bias) used.add(bias)
        width = units
        if (activation !== 'linear') ops.push({ kind: 'activation', width, activation: activation as ActivationKind })
        break
      }
      case 'Activation': {
        const activation = String(cfg.activation)
        if (!ACTIVATIONS.includes(activation)) return null
        if (activation !== 'linear') ops.push({ kind: 'activation', width, activation: activation as ActivationKind })
        break
      }
      case 'Dropout': {
        const rate = cfg.rate as number
        if (cfg.noiseShape != null) return null
        // tfjs-layers drops only for 0 < rate < 1; any other rate passes the input through.
        if (rate > 0 && rate < 1) ops.push({ kind: 'dropout', width, rate })
        break
      }
      case 'Flatten':
        flat = true
        break
      default:
        return null
    }
  }
  if (!flat || model.outputLayers[0] !== layers[layers.length - 1]) return null
  // Every trainable weight must be one the chain updates, in the order tfjs keeps them.
  const variables = model.trainableWeights as unknown as TF.LayerVariable[]
  if (variables.length !== used.size || variables.some((v) => !used.has(v))) return null
  if (!ops.some((o) => o.kind === 'dense')) return null
  const loss = config.loss as StackLoss
  if (loss === 'categoricalCrossentropy' ? width !== classes : width !== 1) return null
  // tfjs-layers: binary accuracy for one output unit or binary CE, categorical accuracy otherwise.
  const classification = loss.includes('rossentropy')
  const accuracy = !classification ? null : width === 1 || loss === 'binaryCrossentropy' ? 'binary' : 'categorical'
  return { inputs, ops, outputs: width, loss, accuracy, variables }
}
