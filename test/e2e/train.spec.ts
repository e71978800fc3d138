import { join } from 'node:path'
import { expect, test } from './fixtures'
import { chooseModelAndData, importCsvUi, saveTemplateForDataset, writeBlobsCsv } from './steps'

test('design a model for a dataset, train it with live curves, and see its confusion matrix', async ({ app, dataDir }) => {
  const csv = join(dataDir, 'blobs.csv')
  writeBlobsCsv(csv, 240)
  await importCsvUi(app, csv, 'blobs')
  await saveTemplateForDataset(app, 'blobs v1', 'blob mlp')
  await chooseModelAndData(app, 'blob mlp', 'blobs v1 (240 rows)')
  await expect(app.getByRole('combobox', { name: 'Loss' })).toHaveValue('categoricalCrossentropy')
  await app.getByRole('spinbutton', { name: 'Learning rate' }).fill('0.05')
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill('15')
  await app.getByRole('spinbutton', { name: 'Batch size' }).fill('16')
  await app.getByTestId('train').click()
  await expect(app.getByTestId('run-state')).toHaveText('completed', { timeout: 60_000 })
  await expect(app.getByTestId('run-backend')).toContainText('wasm')
  // How the steps ran: a small MLP takes the fused dense stepper on one thread, and the details say why.
  await expect(app.getByTestId('run-backend')).toContainText('1 thread (dense-stack)')
  await app.getByTestId('run-backend').click()
  await expect(app.getByTestId('backend-stepper')).toContainText('Dense-only MLP fused')
  await expect(app.getByTestId('chart-loss').locator('canvas')).toBeVisible()
  await expect(app.getByTestId('confusion-matrix')).toContainText('c2')
})
