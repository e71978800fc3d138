// The first hour, Runs: the model/dataset pair is checked as soon as both are chosen (by the same
// rule main refuses with), a refused Train says why beside the form, the Designer lists a bound
// model that no longer fits its data, and the form keeps its values across sections.
import { join } from 'node:path'
import { expect, test } from './fixtures'
import { importCsvUi, saveTemplateForDataset, writeBlobsCsv } from './steps'

test('at 1024x700: a model that does not fit is flagged on choosing, and a refused Train shows why beside the form', async ({ app, dataDir }) => {
  await app.setViewportSize({ width: 1024, height: 700 })
  const csv = join(dataDir, 'blobs.csv')
  writeBlobsCsv(csv, 120)
  await importCsvUi(app, csv, 'blobs')
  // The logic-gate template has 1 sigmoid output; blobs has 3 classes. Saved without binding.
  await app.locator('[data-section="designer"]').click()
  await app.getByRole('button', { name: /AND \/ XOR/ }).click()
  await app.getByRole('textbox', { name: 'Model name' }).fill('gates')
  await app.getByTestId('save-model').click()
  await expect(app.getByTestId('designer-message')).toContainText('version 1')

  await app.locator('[data-section="runs"]').click()
  // Continuity: the model just saved is already chosen.
  await expect(app.getByRole('combobox', { name: 'Model', exact: true })).toHaveValue(/\d+/)
  await expect(app.getByRole('combobox', { name: 'Model', exact: true }).locator('option:checked')).toHaveText('gates')
  await expect(app.getByTestId('fit-problems')).toHaveCount(0)
  await app.getByRole('combobox', { name: 'Dataset version' }).selectOption({ label: 'blobs v1 (120 rows)' })
  const problems = app.getByTestId('fit-problems')
  await expect(problems).toContainText('The dataset has 3 classes but output "output" has 1 units: set units to 3.')

  await app.getByTestId('train').click()
  const refusal = app.getByTestId('train-refusal')
  await expect(refusal).toContainText('The dataset has 3 classes but output "output" has 1 units')
  await expect(refusal).toBeInViewport()
  await app.screenshot({ path: test.info().outputPath('refusal-1024.png') })
  // An edit clears a refusal that may no longer hold.
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill('3')
  await expect(refusal).toHaveCount(0)

  // No dead end: the Designer opens the model reshaped for this dataset; saving it makes a version that fits.
  await app.getByTestId('fix-in-designer').click()
  await expect(app.getByTestId('section-designer')).toBeVisible()
  await expect(app.getByRole('combobox', { name: 'Bind dataset' }).locator('option:checked')).toHaveText('blobs v1')
  await expect(app.getByTestId('no-issues')).toBeVisible()
  await app.getByTestId('save-model').click()
  await expect(app.getByTestId('designer-message')).toContainText('version 2')
  await app.locator('[data-section="runs"]').click()
  await expect(app.getByRole('combobox', { name: 'Model version' }).locator('option:checked')).toHaveText('v2')
  await expect(app.getByRole('spinbutton', { name: 'Epochs' })).toHaveValue('3')
  await expect(app.getByTestId('fit-ok')).toContainText('gates v2 fits blobs v1')
})

test('a refusal main finds on its own (a zero learning rate) also lands beside the form', async ({ app, dataDir }) => {
  await app.setViewportSize({ width: 1440, height: 900 })
  const csv = join(dataDir, 'blobs.csv')
  writeBlobsCsv(csv, 120)
  await importCsvUi(app, csv, 'blobs')
  await saveTemplateForDataset(app, 'blobs v1', 'blob mlp')
  await app.locator('[data-section="runs"]').click()
  // Saved while bound: both the model and its dataset are chosen, and they fit.
  await expect(app.getByRole('combobox', { name: 'Dataset version' }).locator('option:checked')).toHaveText('blobs v1 (120 rows)')
  await expect(app.getByTestId('fit-ok')).toContainText('fits blobs v1')
  await expect(app.getByRole('combobox', { name: 'Loss' })).toHaveValue('categoricalCrossentropy')
  // A 2-class loss on 3 classes is caught at once, with the fix one click away.
  await app.getByRole('combobox', { name: 'Loss' }).selectOption('binaryCrossentropy')
  await expect(app.getByTestId('fit-problems')).toBeVisible()
  await app.getByTestId('fit-problems').getByRole('button', { name: 'Use categoricalCrossentropy' }).click()
  await expect(app.getByTestId('fit-ok')).toBeVisible()

  await app.getByRole('spinbutton', { name: 'Learning rate' }).fill('0')
  await app.getByTestId('train').click()
  await expect(app.getByTestId('train-refusal')).toContainText(/learningRate/i)
  await expect(app.getByTestId('train-refusal')).toBeInViewport()
})

test('the new-run form keeps its values across sections', async ({ app, dataDir }) => {
  const csv = join(dataDir, 'blobs.csv')
  writeBlobsCsv(csv, 120)
  await importCsvUi(app, csv, 'blobs')
  await saveTemplateForDataset(app, 'blobs v1', 'blob mlp')
  await app.locator('[data-section="runs"]').click()
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill('7')
  await app.getByRole('spinbutton', { name: 'Batch size' }).fill('12')
  await app.getByRole('combobox', { name: 'Optimizer' }).selectOption('sgd')
  await app.locator('[data-section="datasets"]').click()
  await app.locator('[data-section="compare"]').click()
  await app.locator('[data-section="runs"]').click()
  await expect(app.getByRole('spinbutton', { name: 'Epochs' })).toHaveValue('7')
  await expect(app.getByRole('spinbutton', { name: 'Batch size' })).toHaveValue('12')
  await expect(app.getByRole('combobox', { name: 'Optimizer' })).toHaveValue('sgd')
  await expect(app.getByRole('combobox', { name: 'Model', exact: true }).locator('option:checked')).toHaveText('blob mlp')
  await expect(app.getByRole('combobox', { name: 'Dataset version' }).locator('option:checked')).toHaveText('blobs v1 (120 rows)')
})

test('the Designer lists a bound model whose Input no longer fits its data as a problem', async ({ app, dataDir }) => {
  const csv = join(dataDir, 'blobs.csv')
  writeBlobsCsv(csv, 120)
  await importCsvUi(app, csv, 'blobs')
  await saveTemplateForDataset(app, 'blobs v1', 'blob mlp')
  await app.locator('.react-flow__node:has([data-layer-type="Input"])').click()
  await app.getByTestId('param-shape').fill('5')
  const e019 = app.getByTestId('issues').locator('[data-code="E019"]')
  await expect(e019).toContainText('Does not fit blobs v1')
  await expect(e019).toContainText('set the Input shape to [2]')
  await expect(app.getByTestId('no-issues')).toHaveCount(0)
  await app.getByTestId('param-shape').fill('2')
  await expect(app.getByTestId('no-issues')).toBeVisible()
})
