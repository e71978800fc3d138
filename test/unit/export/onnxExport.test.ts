// ONNX export parity: every template, the coverage graphs and seeded random graphs run in ONNX
// Runtime with the same outputs as tfjs (max abs difference ≤ 1e-4), and each file passes Debian's
// ONNX checker where /usr/bin/python3 has the onnx module.
import { execFileSync, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { onnx } from 'onnx-proto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTemplate, TEMPLATE_NAMES } from '../../../common/graph/templates'
import { ONNX_OPSET, OnnxUnsupportedError, tfjsWeightsOf, toOnnx } from '../../../main/export/onnx'
import { buildModel } from '../../../main/training/buildModel'
import { g } from '../../helpers/graphFixtures'
import { coverageGraphs as onnxCoverageGraphs } from '../../helpers/onnxCoverageGraphs'
import { onnxParity } from '../../helpers/onnxParity'
import { randomGraph } from '../../helpers/randomGraph'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'

const TOLERANCE = 1e-4
const RANDOM_SEEDS = Array.from({ length: 60 }, (_, i) => i + 1)
const written: string[] = []
let dir = ''

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = mkdtempSync(join(tmpdir(), 'nw-onnx-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function keep(name: string, bytes: Uint8Array): void {
  const file = join(dir, `${name}.onnx`)
  writeFileSync(file, bytes)
  written.push(file)
}

describe('ONNX export equals tfjs', () => {
  it.each(TEMPLATE_NAMES)('template %s', async (name) => {
    const r = await onnxParity(buildTemplate(name), 11)
    keep(`template_${name}`, r.bytes)
    expect(r.maxAbs).toBeLessThanOrEqual(TOLERANCE)
  }, 120_000)

  it.each(Object.entries(onnxCoverageGraphs()))('coverage graph %s', async (name, graph) => {
    const r = await onnxParity(graph, 5)
    keep(`coverage_${name}`, r.bytes)
    expect(r.maxAbs).toBeLessThanOrEqual(TOLERANCE)
  }, 60_000)

  it('60 seeded random graphs', async () => {
    const bad: string[] = []
    for (const seed of RANDOM_SEEDS) {
      const r = await onnxParity(randomGraph(seed), seed)
      keep(`random_${seed}`, r.bytes)
      if (!(r.maxAbs <= TOLERANCE)) bad.push(`seed ${seed}: ${r.maxAbs}`)
    }
    expect(bad).toEqual([])
  }, 300_000)

  it('passes onnx.checker.check_model(full_check=True) where python3-onnx is installed', (ctx) => {
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import onnx'])
    if (probe.status !== 0) {
      console.warn('onnx checker skipped: /usr/bin/python3 has no onnx module (apt-get install python3-onnx)')
      ctx.skip()
      return
    }
    expect(written.length).toBeGreaterThan(60)
    const script = 'import sys, onnx\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint(len(sys.argv) - 1)'
    const out = execFileSync('/usr/bin/python3', ['-c', script, ...written], { encoding: 'utf8' })
    expect(Number(out.trim())).toBe(written.length)
  }, 120_000)
})

describe('ONNX model interface', () => {
  it('has opset 13, named inputs/outputs with a dynamic batch, and the metadata given', async () => {
    const graph = buildTemplate('mnist_cnn')
    const model = await buildModel(tf, graph, 3)
    const bytes = toOnnx(graph, { weightsOf: tfjsWeightsOf(model), metadata: { classes: '["a","b"]', preprocessing: '{"kind":"image"}' } })
    const proto = onnx.ModelProto.decode(bytes)
    expect(proto.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET]])
    expect(ONNX_OPSET).toBeGreaterThanOrEqual(13)
    const input = proto.graph?.input?.[0]
    expect(input?.name).toBe('input')
    expect(input?.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', 28, 28, 1])
    expect(proto.graph?.output?.map((o) => o.name)).toEqual(['output_output'])
    expect(Object.fromEntries(proto.metadataProps.map((m) => [m.key, m.value]))).toEqual({ classes: '["a","b"]', preprocessing: '{"kind":"image"}' })
    // Any batch size runs.
    const session = await ort.InferenceSession.create(bytes)
    for (const n of [1, 5]) {
      const res = await session.run({ input: new ort.Tensor('float32', new Float32Array(n * 784).fill(0.5), [n, 28, 28, 1]) })
      expect(res.output_output?.dims).toEqual([n, 10])
    }
    await session.release()
    model.dispose()
  })

  it('refuses a layer ONNX can not express, naming it', async () => {
    const graph = g(
      [
        ['in', 'Input', { shape: [5, 2] }],
        ['my_lstm', 'LSTM', { units: 3, activation: 'gelu' }],
      ],
      [['in', 'my_lstm']],
    )
    const model = await buildModel(tf, graph, 1)
    let err: unknown
    try {
      toOnnx(graph, { weightsOf: tfjsWeightsOf(model) })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(OnnxUnsupportedError)
    expect((err as OnnxUnsupportedError).code).toBe('invalid_input')
    expect((err as Error).message).toContain("Layer 'my_lstm' (LSTM)")
    expect((err as Error).message).toContain("'gelu'")
    model.dispose()
  })
})
