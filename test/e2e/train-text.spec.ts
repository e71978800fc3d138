import { expect, test } from './fixtures'
import { chooseModelAndData } from './steps'

test('import the text sample, bind the text classifier template to it, and train it', async ({ app }) => {
  await app.locator('[data-section="datasets"]').click()
  await app.getByRole('button', { name: 'Reviews (text)' }).click()
  // The sample starts with its review column as tokens (vocabulary 500, 40 ids a review).
  await expect(app.getByRole('textbox', { name: 'Dataset name' })).toHaveValue('reviews')
  await expect(app.getByRole('combobox', { name: 'review transform' })).toHaveValue('tokens')
  await expect(app.getByRole('spinbutton', { name: 'review vocab size' })).toHaveValue('500')
  await expect(app.getByRole('spinbutton', { name: 'review sequence length' })).toHaveValue('40')
  await app.getByTestId('start-import').click()
  await expect(app.getByTestId('datasets-message')).toContainText('Imported "reviews"')

  await app.locator('[data-section="designer"]').click()
  await app.getByRole('button', { name: /Text/ }).click()
  await app.getByRole('combobox', { name: 'Bind dataset' }).selectOption({ label: 'reviews v1' })
  await expect(app.getByTestId('designer-message')).toContainText('input [40]')
  await expect(app.getByTestId('no-issues')).toBeVisible()
  await app.getByRole('textbox', { name: 'Model name' }).fill('review classifier')
  await app.getByTestId('save-model').click()
  await expect(app.getByTestId('designer-message')).toContainText('version 1')

  await chooseModelAndData(app, 'review classifier', 'reviews v1 (600 rows)')
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill('2')
  await app.getByRole('spinbutton', { name: 'Batch size' }).fill('32')
  await app.getByTestId('train').click()
  await expect(app.getByTestId('run-state')).toHaveText('completed', { timeout: 120_000 })
  await expect(app.getByTestId('confusion-matrix')).toContainText('positive')
})
