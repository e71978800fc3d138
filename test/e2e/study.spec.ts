import { join } from 'node:path'
import { expect, test } from './fixtures'
import { chooseModelAndData, importCsvUi, saveTemplateForDataset, writeBlobsCsv } from './steps'

test('a 2x2 grid study on a small CSV runs 4 trials as runs and shows the best', async ({ app, dataDir }) => {
  test.setTimeout(240_000)
  const csv = join(dataDir, 'blobs.csv')
  writeBlobsCsv(csv, 120)
  await importCsvUi(app, csv, 'blobs')
  await saveTemplateForDataset(app, 'blobs v1', 'blob mlp')
  await chooseModelAndData(app, 'blob mlp', 'blobs v1 (120 rows)')
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill('2')
  await app.getByRole('spinbutton', { name: 'Batch size' }).fill('16')

  await app.locator('[data-section="compare"]').click()
  const form = app.getByTestId('new-study')
  await form.getByRole('textbox', { name: 'Study name' }).fill('lr x units')
  await form.getByRole('combobox', { name: 'Objective metric' }).fill('val_accuracy')
  await form.getByRole('combobox', { name: 'Direction' }).selectOption('max')
  await form.getByRole('combobox', { name: 'Parameter 1' }).fill('learningRate')
  await form.getByRole('textbox', { name: 'Values 1' }).fill('0.05, 0.005')
  await form.getByRole('button', { name: 'Add parameter' }).click()
  await form.getByRole('combobox', { name: 'Parameter 2' }).fill('hidden.units')
  await form.getByRole('textbox', { name: 'Values 2' }).fill('4, 8')
  await app.getByTestId('start-study').click()

  const rows = app.getByTestId('trials-table').getByTestId('trial-row')
  await expect(rows).toHaveCount(4)
  await expect(rows.locator('.state-completed')).toHaveCount(4, { timeout: 180_000 })
  await expect(app.getByTestId('study-status')).toContainText('completed · 4 completed')
  const best = app.getByTestId('study-best')
  await expect(best).toContainText('Best: trial')
  await expect(best).toContainText('learningRate = ')
  // The best trial is the first row of the table, which is sorted by the objective.
  await expect(rows.first()).toHaveClass(/is-best/)
  await expect(app.getByTestId('best-so-far')).toBeAttached()
  await app.getByTestId('studies').screenshot({ path: test.info().outputPath('study-view.png') })
  // Every trial is an ordinary run, visible in the runs table above.
  await expect(app.getByTestId('runs-table').locator('tbody tr[data-run-id]')).toHaveCount(4)

  await best.getByRole('button', { name: 'Train final model with this config' }).click()
  await expect(app.getByTestId('section-runs')).toBeVisible()
})

test('a 3-fold cross-validation shows mean +/- std per metric and its fold runs', async ({ app, dataDir }) => {
  test.setTimeout(240_000)
  const csv = join(dataDir, 'blobs.csv')
  writeBlobsCsv(csv, 120)
  await importCsvUi(app, csv, 'blobs')
  await saveTemplateForDataset(app, 'blobs v1', 'blob mlp')
  await chooseModelAndData(app, 'blob mlp', 'blobs v1 (120 rows)')
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill('2')
  await app.getByRole('spinbutton', { name: 'Batch size' }).fill('16')

  await app.locator('[data-section="compare"]').click()
  const form = app.getByTestId('new-study')
  await form.getByRole('combobox', { name: 'Strategy' }).selectOption('cv')
  await form.getByRole('spinbutton', { name: 'Folds' }).fill('3')
  await app.getByTestId('start-study').click()

  const rows = app.getByTestId('trials-table').getByTestId('trial-row')
  await expect(rows.locator('.state-completed')).toHaveCount(3, { timeout: 180_000 })
  const cv = app.getByTestId('cv-summary')
  await expect(cv).toContainText('val_accuracy')
  await expect(cv.locator('tr', { hasText: 'val_loss' }).first()).toContainText(/\d\.\d+ ± \d/)
  await expect(cv).toContainText('3 folds')
})
