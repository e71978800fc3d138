// Evaluation of any checkpoint, the predictions view, try-it and export, through the contract,
// with the inference worker on this thread (the same code the worker thread runs).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../../main/core/createCore'
import { applyRecipe } from '../../../main/datasets/recipe/apply'
import type { Recipe } from '../../../common/datasets/recipeTypes'
import type { CheckpointEvaluation, CheckpointInfo, ExportResult, PredictionPage, TryItResult } from '../../../common/contract'
import { tempDir } from '../../helpers/tmp'
import { CPU_CONFIG, gateSetup, inProcessCore, shapesSetup, trainToEnd, ok } from './support'

let core: Core | null = null
afterEach(async () => {
  await core?.close()
  core = null
})

/** Loads exported TF.js Layers files back from a folder (what tfjs-node's file:// loader does). */
async function loadExported(folder: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as tf.io.ModelJSON
  const bin = readFileSync(join(folder, json.weightsManifest[0].paths[0]))
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength)
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData, format: json.format }))
}

describe('checkpoints of a tabular run', () => {
  it('lists checkpoints and evaluates any of them in the worker; the final one matches the run evaluation', async () => {
    core = inProcessCore()
    const ids = await gateSetup(core, 'and')
    const run = await trainToEnd(core, ids, { ...CPU_CONFIG, epochs: 8 })
    const list = ok<CheckpointInfo[]>(await core.call('runs.checkpoints', { runId: run.id }))
    expect(list.length).toBe(3)
    expect(list.map((c) => c.epoch)).toEqual([7, 6, 5])
    expect(list.every((c) => c.epochFinished && c.byteSize > 0)).toBe(true)
    const final = ok<CheckpointEvaluation>(await core.call('runs.evaluateCheckpoint', { runId: run.id, checkpointId: list[0].id }))
    expect(final).toMatchObject({ runId: run.id, checkpointId: list[0].id, epoch: 7, split: 'test', mistakes: 0 })
    expect(final.evaluation).toEqual(ok(await core.call('runs.evaluation', { runId: run.id })))
    const older = ok<CheckpointEvaluation>(await core.call('runs.evaluateCheckpoint', { runId: run.id, checkpointId: list[2].id, split: 'validation' }))
    expect(older).toMatchObject({ epoch: 5, split: 'validation', evaluation: { kind: 'classification', classes: ['neg', 'pos'] } })
    expect(older.samples).toBeGreaterThan(0)
  })

  it('pages predictions with inputs, confidence and truth, filtered to mistakes', async () => {
    core = inProcessCore()
    const ids = await gateSetup(core, 'xor')
    // One epoch of XOR leaves mistakes to look at.
    const run = await trainToEnd(core, ids, { ...CPU_CONFIG, epochs: 1, learningRate: 0.01 })
    const [ckpt] = ok<CheckpointInfo[]>(await core.call('runs.checkpoints', { runId: run.id }))
    const ev = ok<CheckpointEvaluation>(await core.call('runs.evaluateCheckpoint', { runId: run.id, checkpointId: ckpt.id }))
    const all = ok<PredictionPage>(await core.call('runs.predictions', { runId: run.id, checkpointId: ckpt.id, limit: 5 }))
    expect(all).toMatchObject({ total: ev.samples, offset: 0, filter: 'all', split: 'test' })
    expect(all.rows).toHaveLength(5)
    for (const r of all.rows) {
      expect(['neg', 'pos']).toContain(r.truth)
      expect(r.confidence).toBeGreaterThanOrEqual(0.5)
      expect(r.correct).toBe(r.truth === r.predicted)
      expect(r.input.kind).toBe('tabular')
      if (r.input.kind === 'tabular') {
        const v = Object.fromEntries(r.input.values.map((x) => [x.column, x.value]))
        // The stored inputs are the CSV's values (the label follows XOR of them); the target is the
        // truth column, not one of the inputs.
        expect(Object.keys(v).sort()).toEqual(['a', 'b'])
        expect(r.truth).toBe((Number(v.a) ^ Number(v.b)) === 1 ? 'pos' : 'neg')
      }
    }
    const next = ok<PredictionPage>(await core.call('runs.predictions', { runId: run.id, checkpointId: ckpt.id, offset: 5, limit: 5 }))
    expect(next.rows[0].rowIndex).not.toBe(all.rows[0].rowIndex)
    const mistakes = ok<PredictionPage>(await core.call('runs.predictions', { runId: run.id, checkpointId: ckpt.id, filter: 'mistakes', limit: 100 }))
    expect(mistakes.total).toBe(ev.mistakes)
    expect(mistakes.rows.every((r) => r.correct === false)).toBe(true)
    // One confusion-matrix cell: exactly its count of samples, all of that truth and prediction.
    expect(ev.scatter).toBeNull()
    if (ev.evaluation.kind !== 'classification') throw new Error('expected a classification')
    const cell = ok<PredictionPage>(await core.call('runs.predictions', { runId: run.id, checkpointId: ckpt.id, truth: 'pos', predicted: 'neg', limit: 100 }))
    expect(cell.total).toBe(ev.evaluation.confusion[1]![0])
    expect(cell).toMatchObject({ truth: 'pos', predicted: 'neg' })
    expect(cell.rows.every((r) => r.truth === 'pos' && r.predicted === 'neg')).toBe(true)
    expect(await core.call('runs.predictions', { runId: run.id, checkpointId: ckpt.id, truth: 'maybe' })).toMatchObject({ ok: false, code: 'invalid_input', message: expect.stringContaining('truth: "maybe" is not a class of this run') })
  })

  it('tries a typed-in row through the recipe, and answers bad input as data', async () => {
    core = inProcessCore()
    const ids = await gateSetup(core, 'and')
    const run = await trainToEnd(core, ids, { ...CPU_CONFIG, epochs: 8 })
    const yes = ok<TryItResult>(await core.call('runs.predict', { runId: run.id, input: { kind: 'row', values: { a: '1', b: 1 } } }))
    expect(yes).toMatchObject({ kind: 'classification', classes: ['neg', 'pos'], predicted: 'pos' })
    if (yes.kind === 'classification') expect(yes.probabilities[0] + yes.probabilities[1]).toBeCloseTo(1, 6)
    expect(ok<TryItResult>(await core.call('runs.predict', { runId: run.id, input: { kind: 'row', values: { a: 0, b: '1' } } }))).toMatchObject({ predicted: 'neg' })
    expect(await core.call('runs.predict', { runId: run.id, input: { kind: 'image', path: '/nowhere.png' } })).toMatchObject({ ok: false, code: 'invalid_input' })
    // An unreadable value is refused with its column named, across the worker; an empty one is filled and reported.
    expect(await core.call('runs.predict', { runId: run.id, input: { kind: 'row', values: { a: 'abc', b: 1 } } })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      details: { fields: [{ column: 'a', message: 'a: "abc" is not a number.' }] },
    })
    const filled = ok<TryItResult>(await core.call('runs.predict', { runId: run.id, input: { kind: 'row', values: { a: '1', b: '' } } }))
    expect(filled.imputed.map((m) => m.column)).toEqual(['b'])
    expect(yes.imputed).toEqual([])
    expect(await core.call('runs.predict', { runId: run.id, checkpointId: 999, input: { kind: 'row', values: {} } })).toMatchObject({ ok: false, code: 'not_found' })
    expect(await core.call('runs.evaluateCheckpoint', { runId: run.id, checkpointId: 999 })).toMatchObject({ ok: false, code: 'not_found' })
  })

  it('exports TF.js Layers files and model.onnx with recipe, classes and README; loaded back (tfjs, ONNX Runtime) they predict the same', async () => {
    core = inProcessCore()
    const ids = await gateSetup(core, 'and')
    const run = await trainToEnd(core, ids, { ...CPU_CONFIG, epochs: 8 })
    const folder = join(tempDir(), 'export', 'and-model')
    const out = ok<ExportResult>(await core.call('runs.exportModel', { runId: run.id, folder }))
    expect(out.files.map((f) => f.name).sort()).toEqual(['README.txt', 'classes.json', 'model.json', 'model.onnx', 'recipe.json', 'weights.bin'])
    expect(readFileSync(join(folder, 'README.txt'), 'utf8')).toContain('ONNX (opset 13)')
    const onnxSession = await ort.InferenceSession.create(join(folder, 'model.onnx'))
    expect(onnxSession.inputNames).toEqual(['input'])
    expect(JSON.parse(readFileSync(join(folder, 'classes.json'), 'utf8'))).toEqual(['neg', 'pos'])
    const recipe = JSON.parse(readFileSync(join(folder, 'recipe.json'), 'utf8')) as Recipe
    const model = await loadExported(folder)
    for (const [a, b] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
      const x = applyRecipe(recipe, { a: String(a), b: String(b) })!
      const p = (model.predict(tf.tensor2d(x, [1, x.length])) as tf.Tensor).dataSync()[0]
      const served = ok<TryItResult>(await core.call('runs.predict', { runId: run.id, input: { kind: 'row', values: { a, b } } }))
      if (served.kind !== 'classification') throw new Error('expected a classification')
      expect(p).toBe(served.probabilities[1])
      const viaOnnx = await onnxSession.run({ input: new ort.Tensor('float32', Float32Array.from(x), [1, x.length]) })
      expect(Math.abs((viaOnnx.output_output?.data[0] as number) - served.probabilities[1]!)).toBeLessThan(1e-6)
    }
    await onnxSession.release()
    expect(await core.call('runs.exportModel', { runId: run.id, folder })).toMatchObject({ ok: false, code: 'conflict' })
    expect(ok<ExportResult>(await core.call('runs.exportModel', { runId: run.id, folder, overwrite: true })).files).toHaveLength(6)
    const tfjsOnly = ok<ExportResult>(await core.call('runs.exportModel', { runId: run.id, folder: join(folder, '..', 'tfjs-only'), onnx: false }))
    expect(tfjsOnly.files.map((f) => f.name).sort()).toEqual(['README.txt', 'classes.json', 'model.json', 'recipe.json', 'weights.bin'])
    expect(await core.call('runs.exportModel', { runId: run.id, folder: 'relative/dir' })).toMatchObject({ ok: false, code: 'invalid_input' })
  })
})

describe('checkpoints of an image run', () => {
  it('shows image inputs as pixels, and tries a dropped image resized like the import', async () => {
    core = inProcessCore()
    const ids = await shapesSetup(core, 10)
    const run = await trainToEnd(core, ids, { ...CPU_CONFIG, loss: 'categoricalCrossentropy', epochs: 3, batchSize: 4 })
    const [ckpt] = ok<CheckpointInfo[]>(await core.call('runs.checkpoints', { runId: run.id }))
    const page = ok<PredictionPage>(await core.call('runs.predictions', { runId: run.id, checkpointId: ckpt.id, limit: 4 }))
    expect(page.rows.length).toBeGreaterThan(0)
    for (const r of page.rows) {
      expect(r.input).toMatchObject({ kind: 'image', width: 16, height: 16, channels: 1 })
      if (r.input.kind === 'image') expect(Buffer.from(r.input.pixels, 'base64')).toHaveLength(16 * 16)
      expect(['circle', 'square', 'triangle']).toContain(r.truth)
    }
    const tried = ok<TryItResult>(await core.call('runs.predict', { runId: run.id, input: { kind: 'image', path: join(ids.folder, 'square', 'square_000.png') } }))
    expect(tried).toMatchObject({ kind: 'classification', classes: ['circle', 'square', 'triangle'] })
    if (tried.kind === 'classification') expect(tried.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    const notImage = join(tempDir(), 'note.png')
    writeFileSync(notImage, 'hello')
    const bad = await core.call('runs.predict', { runId: run.id, input: { kind: 'image', path: notImage } })
    expect(bad).toMatchObject({ ok: false, code: 'invalid_input' })
    if (!bad.ok) expect(bad.message).toContain('not an image')
    expect(await core.call('runs.predict', { runId: run.id, input: { kind: 'row', values: { a: 1 } } })).toMatchObject({ ok: false, code: 'invalid_input' })
  })
})
