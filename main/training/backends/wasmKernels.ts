// Training kernels for the tfjs wasm backend: registers the kernels training needs that the stock
// backend lacks and overrides stock kernels that are slow, all through tfjs's own registerKernel.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs'
import { adamUpdateConfig } from './wasm/adamUpdate'
import { castConfig } from './wasm/cast'
import { conv2dConfig, fusedConv2dConfig } from './wasm/conv2d'
import { conv2dBackpropFilterConfig } from './wasm/conv2dBackpropFilter'
import { conv2dBackpropInputConfig } from './wasm/conv2dBackpropInput'
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './wasm/depthwiseBackprop'
import { gatherConfig } from './wasm/gather'
import { identityConfig } from './wasm/identity'
import { batchMatMulConfig, fusedMatMulConfig } from './wasm/matMul'
import { maxPoolGradConfig } from './wasm/maxPoolGrad'
import { installReluGradient, reluGradConfig } from './wasm/reluGrad'
import { meanConfig } from './wasm/mean'
import { installMeanGradient, meanGradConfig } from './wasm/meanGrad'
import { sumConfig } from './wasm/sum'
import { unsortedSegmentSumConfig } from './wasm/unsortedSegmentSum'
import { transposeConfig } from './wasm/transpose'
import { captureStockKernels, stockOrNull } from './wasm/stock'

/** Every kernel config we register for 'wasm' (new kernels and overrides of stock ones). */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2dConfig,
  fusedConv2dConfig,
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  gatherConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  maxPoolGradConfig,
  identityConfig,
  castConfig,
  sumConfig,
  meanConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  unsortedSegmentSumConfig,
  adamUpdateConfig,
  reluGradConfig,
  transposeConfig,
  meanGradConfig,
]

/** Stock kernels our fast paths call, captured before any override. */
const STOCK_NEEDED = [...WASM_TRAINING_KERNELS.map((k) => k.kernelName), 'Transpose', 'Conv2D']

/** Configs we registered, so a second call can tell ours from stock ones. */
const registered = new WeakSet<KernelConfig>()

/** Registers our wasm training kernels once per process (later calls do nothing), and the Relu and Mean gradients that use NwReluGrad and NwMeanGrad. */
export function registerWasmTrainingKernels(): void {
  captureStockKernels(STOCK_NEEDED)
  installReluGradient()
  installMeanGradient()
  for (const config of WASM_TRAINING_KERNELS) {
    const current = getKernel(config.kernelName, 'wasm')
    if (current && registered.has(current)) continue
    if (current) unregisterKernel(config.kernelName, 'wasm')
    // The engine runs setupFunc only for kernels registered when the backend is set up; a replaced
    // stock kernel still needs its own (it binds its wasm function), so ours runs it.
    const base = stockOrNull(config.kernelName)
    const ours: KernelConfig = base?.setupFunc ? { ...config, setupFunc: base.setupFunc } : config
    registered.add(ours)
    registerKernel(ours)
  }
}
