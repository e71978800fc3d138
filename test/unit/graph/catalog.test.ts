import { describe, expect, it } from 'vitest'
import { ACTIVATIONS, CATALOG, defaultParams, getLayerSpec, validateParams, withDefaults } from '../../../common/graph/catalog'
import { LAYER_TYPES } from '../../../common/graph/types'

describe('layer catalog', () => {
  it('has one entry per layer type, with docs and sane arity', () => {
    for (const t of LAYER_TYPES) {
      const spec = CATALOG[t]
      expect(spec.type).toBe(t)
      expect(spec.docs.length).toBeGreaterThan(10)
      expect(spec.minInputs).toBeGreaterThanOrEqual(0)
      if (spec.maxInputs !== null) expect(spec.maxInputs).toBeGreaterThanOrEqual(spec.minInputs)
      for (const p of spec.params) expect(p.docs, `${t}.${p.name}`).not.toBe('')
    }
    expect(CATALOG.Input.maxInputs).toBe(0)
    expect(CATALOG.Add.minInputs).toBe(2)
    expect(CATALOG.Concatenate.maxInputs).toBeNull()
    expect(getLayerSpec('Nope')).toBeUndefined()
    expect(getLayerSpec('toString')).toBeUndefined()
  })

  it('defaults are valid for every layer', () => {
    for (const t of LAYER_TYPES) expect(validateParams(t, defaultParams(t)), t).toEqual([])
  })

  it('layers with weights expose initializer and L1/L2 params; Dense and Conv carry an activation', () => {
    for (const t of ['Dense', 'Conv1D', 'Conv2D', 'SeparableConv2D', 'Conv2DTranspose', 'LSTM', 'GRU', 'SimpleRNN', 'Bidirectional'] as const) {
      const names = CATALOG[t].params.map((p) => p.name)
      expect(CATALOG[t].hasWeights).toBe(true)
      expect(names).toEqual(expect.arrayContaining(['kernelInitializer', 'biasInitializer', 'kernelL1', 'kernelL2', 'biasL1', 'biasL2', 'activation']))
    }
    expect(CATALOG.Embedding.params.map((p) => p.name)).toEqual(expect.arrayContaining(['embeddingsInitializer', 'embeddingsL2']))
    expect(CATALOG.Flatten.hasWeights).toBe(false)
    expect(ACTIVATIONS).toEqual(expect.arrayContaining(['relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'gelu', 'swish', 'linear']))
  })

  it('defaultParams returns fresh arrays', () => {
    const a = defaultParams('Conv2D')
    ;(a.kernelSize as number[])[0] = 99
    expect(defaultParams('Conv2D').kernelSize).toEqual([3, 3])
  })

  it('withDefaults fills missing params and keeps given ones', () => {
    expect(withDefaults('Dense', { units: 7 })).toMatchObject({ units: 7, activation: 'relu', useBias: true })
  })
})

describe('validateParams', () => {
  const cases: [Parameters<typeof validateParams>[0], Record<string, unknown>, string][] = [
    ['Dense', { units: 0 }, 'units'],
    ['Dense', { units: 2.5 }, 'units'],
    ['Dense', { units: '8' }, 'units'],
    ['Dense', { activation: 'sparkle' }, 'activation'],
    ['Dense', { kernelL2: -0.1 }, 'kernelL2'],
    ['Dropout', { rate: 1 }, 'rate'],
    ['Dropout', { rate: -0.1 }, 'rate'],
    ['Conv2D', { kernelSize: [3] }, 'kernelSize'],
    ['Conv2D', { kernelSize: [3, 0] }, 'kernelSize'],
    ['Conv2D', { padding: 'causal' }, 'padding'],
    ['Conv2D', { strides: [2, 2], dilationRate: [2, 2] }, 'dilationRate'],
    ['Input', { shape: [] }, 'shape'],
    ['Input', { shape: [0, 3] }, 'shape'],
    ['Reshape', { targetShape: [-1, -1] }, 'targetShape'],
    ['Reshape', { targetShape: [0, 4] }, 'targetShape'],
    ['Concatenate', { axis: 0 }, 'axis'],
    ['BatchNormalization', { epsilon: 0 }, 'epsilon'],
    ['MaxPooling2D', { strides: [0, 1] }, 'strides'],
    ['LSTM', { useBias: 'yes' }, 'useBias'],
    ['Dense', { unitz: 3 }, 'unitz'],
  ]
  for (const [type, params, field] of cases) {
    it(`${type} ${JSON.stringify(params)} → error on ${field}`, () => {
      const errors = validateParams(type, params)
      expect(errors.map((e) => e.field)).toContain(field)
      expect(errors.find((e) => e.field === field)?.message).toMatch(new RegExp(field.replace(/\[.*/, '')))
    })
  }

  it('accepts null where a param is nullable (pool strides) and null dims in Input shape', () => {
    expect(validateParams('MaxPooling2D', { strides: null })).toEqual([])
    expect(validateParams('Input', { shape: [null, 8] })).toEqual([])
    expect(validateParams('Dense', { units: null })).not.toEqual([])
  })
})
