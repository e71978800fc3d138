// The backend ladder: on this machine the native rungs are absent and must be reported with the
// loader's real error; injected loaders stand in for machines with broken CUDA setups.
import * as tf from '@tensorflow/tfjs'
import { afterAll, describe, expect, it } from 'vitest'
import { selectBackend, systemLoader, type BackendLoader } from '../../../main/training/backends/select'
import { unsupportedMessage, unsupportedOnBackend } from '../../../main/training/backends/unsupported'
import { buildTemplate, toTfjs } from '../../../common/graph'

afterAll(async () => {
  await tf.setBackend('cpu')
})

/** The real loader with some calls replaced. */
function loader(overrides: Partial<BackendLoader>): BackendLoader {
  return { ...systemLoader, ...overrides }
}

describe('selectBackend', () => {
  it('auto: reports the missing native packages with the real error text and lands on wasm', async () => {
    const choice = await selectBackend('auto')
    expect(choice.name).toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
    expect(choice.tried.map((t) => t.name)).toEqual(['tensorflow-gpu', 'tensorflow'])
    for (const t of choice.tried) expect(t.error).toMatch(/Cannot find module '@tensorflow\/tfjs-node(-gpu)?'/)
    expect(choice.reason).toContain('tensorflow-gpu unavailable')
    expect(choice.device).toMatch(/WebAssembly/)
  })

  it('keeps a CUDA load error verbatim, all lines of it', async () => {
    const cuda = 'libcudnn.so.8: cannot open shared object file: No such file or directory\n(dlopen of tfjs_binding.node failed)'
    const choice = await selectBackend(
      'tensorflow-gpu',
      loader({
        resolve: () => '/x/node_modules/@tensorflow/tfjs-node-gpu/index.js',
        hasNvidiaDriver: () => true,
        require: (s) => {
          if (s === '@tensorflow/tfjs-node-gpu') throw new Error(cuda)
          return systemLoader.require(s)
        },
      }),
    )
    expect(choice.tried[0]).toEqual({ name: 'tensorflow-gpu', error: cuda })
    expect(choice.name).toBe('wasm')
  })

  it('says when the GPU package is there but no NVIDIA driver is loaded', async () => {
    const choice = await selectBackend('tensorflow-gpu', loader({ resolve: () => '/x', hasNvidiaDriver: () => false }))
    expect(choice.tried[0]?.error).toMatch(/no NVIDIA driver/)
  })

  it('falls back to cpu when wasm fails, and honours an explicit cpu', async () => {
    const broken = await selectBackend('wasm', loader({ useWasm: () => Promise.reject(new Error('wasm binary missing')) }))
    expect(broken).toMatchObject({ name: 'cpu', tried: [{ name: 'wasm', error: 'wasm binary missing' }] })
    const cpu = await selectBackend('cpu')
    expect(cpu).toMatchObject({ name: 'cpu', tried: [] })
    expect(tf.getBackend()).toBe('cpu')
  })

  it('throws with every error when nothing loads', async () => {
    const none = loader({ useWasm: () => Promise.reject(new Error('no wasm')), setBackend: () => Promise.resolve(false) })
    await expect(selectBackend('wasm', none)).rejects.toThrow(/wasm: no wasm; cpu: the cpu backend failed/)
  })
})

describe('unsupportedOnBackend', () => {
  it('finds nothing missing for the templates on wasm once our kernels are registered', async () => {
    await selectBackend('wasm')
    for (const name of ['mnist_cnn', 'text_cnn_lstm', 'resnet_block'] as const) expect(unsupportedOnBackend(toTfjs(buildTemplate(name)), 'wasm')).toEqual([])
  })

  it('names the kernels a backend lacks, once each, in first-use order', () => {
    const missing = unsupportedOnBackend(toTfjs(buildTemplate('text_cnn_lstm')), 'no-such-backend')
    expect(missing).toEqual(['GatherV2', 'UnsortedSegmentSum', 'Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPool', 'MaxPoolGrad'])
    expect(unsupportedMessage(['Conv3DBackpropFilterV2'], 'wasm')).toBe('This model needs Conv3DBackpropFilterV2, not available on wasm; use the cpu backend.')
    expect(unsupportedMessage([], 'wasm')).toBeNull()
  })
})
