// Train a small template, export it from the Export panel, and find model.onnx beside the TF.js
// files with a README.txt that names the opset; the ONNX file predicts what the app predicts.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { expect, test } from './fixtures'
import { chooseModelAndData, importCsvUi, saveTemplateForDataset, writeBlobsCsv } from './steps'

test('export a trained run as TF.js and ONNX from the Export panel', async ({ app, dataDir }) => {
  const csv = join(dataDir, 'blobs.csv')
  writeBlobsCsv(csv, 300)
  await importCsvUi(app, csv, 'blobs')
  await saveTemplateForDataset(app, 'blobs v1', 'blob mlp')
  await chooseModelAndData(app, 'blob mlp', 'blobs v1 (300 rows)')
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill('2')
  await app.getByRole('spinbutton', { name: 'Batch size' }).fill('16')
  await app.getByTestId('train').click()
  await expect(app.getByTestId('run-state')).toHaveText('completed', { timeout: 60_000 })

  const folder = join(dataDir, 'exported', 'blob-mlp')
  await app.getByRole('textbox', { name: 'Export folder' }).fill(folder)
  await expect(app.getByTestId('export-onnx')).toBeChecked()
  await app.getByTestId('export-model').click()
  await expect(app.getByTestId('export-result')).toContainText('model.onnx')
  await expect(app.getByTestId('export-result')).toContainText('README.txt')
  await app.getByTestId('export').screenshot({ path: test.info().outputPath('export-panel.png') })
  for (const f of ['model.json', 'weights.bin', 'recipe.json', 'classes.json', 'model.onnx', 'README.txt']) expect(existsSync(join(folder, f)), f).toBe(true)
  const readme = readFileSync(join(folder, 'README.txt'), 'utf8')
  expect(readme).toContain('ONNX (opset 13)')
  expect(readme).toContain('tf.loadLayersModel')
  expect(readme).toContain('InferenceSession')

  // The exported file loads in ONNX Runtime, with the class names in its metadata.
  const session = await ort.InferenceSession.create(join(folder, 'model.onnx'))
  const out = await session.run({ [session.inputNames[0] as string]: new ort.Tensor('float32', new Float32Array([0.5, -0.5, 1, 1]), [2, 2]) })
  expect(out[session.outputNames[0] as string]?.dims).toEqual([2, 3])
  await session.release()

  // Unticked, only the TF.js files (and the README) are written.
  const tfjsOnly = join(dataDir, 'exported', 'tfjs-only')
  await app.getByRole('textbox', { name: 'Export folder' }).fill(tfjsOnly)
  await app.getByTestId('export-onnx').uncheck()
  await app.getByTestId('export-model').click()
  await expect(app.getByTestId('export-result')).toContainText(tfjsOnly)
  expect(existsSync(join(tfjsOnly, 'model.json'))).toBe(true)
  expect(existsSync(join(tfjsOnly, 'model.onnx'))).toBe(false)
})
