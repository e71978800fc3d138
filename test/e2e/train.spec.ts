import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

async function importCsv(app: Page, path: string, name: string): Promise<void> {
  await app.locator('[data-section="datasets"]').click()
  await app.getByRole('textbox', { name: 'File or folder path' }).fill(path)
  await app.getByRole('button', { name: 'Preview' }).click()
  await app.getByRole('textbox', { name: 'Dataset name' }).fill(name)
  await app.getByTestId('start-import').click()
  await expect(app.getByTestId('datasets-message')).toContainText(`Imported "${name}"`)
}

test('design a model for a dataset, train it with live curves, and see its confusion matrix', async ({ app, dataDir }) => {
  const csv = join(dataDir, 'blobs.csv')
  const rows = ['x,y,cls']
  for (let i = 0; i < 240; i++) {
    const k = i % 3
    rows.push(`${(k * 3 + Math.sin(i) * 0.8).toFixed(3)},${(k * -2 + Math.cos(i * 1.7) * 0.8).toFixed(3)},c${k}`)
  }
  writeFileSync(csv, rows.join('\n'))
  await importCsv(app, csv, 'blobs')

  await app.locator('[data-section="designer"]').click()
  await app.getByRole('button', { name: /AND \/ XOR/ }).click()
  await app.getByRole('combobox', { name: 'Bind dataset' }).selectOption({ label: 'blobs v1' })
  await expect(app.getByTestId('designer-message')).toContainText('3 classes')
  await expect(app.getByTestId('no-issues')).toBeVisible()
  await app.getByRole('textbox', { name: 'Model name' }).fill('blob mlp')
  await app.getByTestId('save-model').click()
  await expect(app.getByTestId('designer-message')).toContainText('version 1')

  await app.locator('[data-section="runs"]').click()
  await app.getByRole('combobox', { name: 'Model', exact: true }).selectOption({ label: 'blob mlp' })
  await app.getByRole('combobox', { name: 'Dataset version' }).selectOption({ label: 'blobs v1 (240 rows)' })
  await expect(app.getByRole('combobox', { name: 'Loss' })).toHaveValue('categoricalCrossentropy')
  await app.getByRole('spinbutton', { name: 'Learning rate' }).fill('0.05')
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill('15')
  await app.getByRole('spinbutton', { name: 'Batch size' }).fill('16')
  await app.getByTestId('train').click()
  await expect(app.getByTestId('run-state')).toHaveText('completed', { timeout: 60_000 })
  await expect(app.getByTestId('run-backend')).toContainText('wasm')
  await expect(app.getByTestId('chart-loss').locator('canvas')).toBeVisible()
  await expect(app.getByTestId('confusion-matrix')).toContainText('c2')
})
