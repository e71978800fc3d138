import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect } from './fixtures'

/** Writes a CSV of three 2-D blobs (classes c0, c1, c2); `spread` makes them overlap. */
export function writeBlobsCsv(path: string, rows: number, spread = 0.8): void {
  const lines = ['x,y,cls']
  for (let i = 0; i < rows; i++) {
    const k = i % 3
    lines.push(`${(k * 3 + Math.sin(i) * spread).toFixed(3)},${(k * -2 + Math.cos(i * 1.7) * spread).toFixed(3)},c${k}`)
  }
  writeFileSync(path, lines.join('\n'))
}

/** Imports a CSV through the Datasets section, as a person would, and waits for the result. */
export async function importCsvUi(app: Page, path: string, name: string): Promise<void> {
  await app.locator('[data-section="datasets"]').click()
  await app.getByRole('textbox', { name: 'File or folder path' }).fill(path)
  await app.getByRole('button', { name: 'Preview' }).click()
  await app.getByRole('textbox', { name: 'Dataset name' }).fill(name)
  await app.getByTestId('start-import').click()
  await expect(app.getByTestId('datasets-message')).toContainText(`Imported "${name}"`)
}

/** Starts the 2-3-1 template in the Designer, binds it to a dataset, and saves it under a name. */
export async function saveTemplateForDataset(app: Page, datasetLabel: string, modelName: string): Promise<void> {
  await app.locator('[data-section="designer"]').click()
  await app.getByRole('button', { name: /AND \/ XOR/ }).click()
  await app.getByRole('combobox', { name: 'Bind dataset' }).selectOption({ label: datasetLabel })
  await expect(app.getByTestId('no-issues')).toBeVisible()
  await app.getByRole('textbox', { name: 'Model name' }).fill(modelName)
  await app.getByTestId('save-model').click()
  await expect(app.getByTestId('designer-message')).toContainText('version 1')
}

/** Opens the Runs section with a model and a dataset version chosen in the new-run form. */
export async function chooseModelAndData(app: Page, modelName: string, datasetOption: string): Promise<void> {
  await app.locator('[data-section="runs"]').click()
  await app.getByRole('combobox', { name: 'Model', exact: true }).selectOption({ label: modelName })
  await app.getByRole('combobox', { name: 'Dataset version' }).selectOption({ label: datasetOption })
}

/**
 * The study specs' setup: imports a 120-row blobs CSV, saves the 2-3-1 template for it, chooses
 * both in Runs with 2 epochs of batch 16 (the setup a study varies), and opens Compare, where the
 * Studies panel lives.
 */
export async function openStudiesWithBlobs(app: Page, dataDir: string): Promise<void> {
  const csv = join(dataDir, 'blobs.csv')
  writeBlobsCsv(csv, 120)
  await importCsvUi(app, csv, 'blobs')
  await saveTemplateForDataset(app, 'blobs v1', 'blob mlp')
  await chooseModelAndData(app, 'blob mlp', 'blobs v1 (120 rows)')
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill('2')
  await app.getByRole('spinbutton', { name: 'Batch size' }).fill('16')
  await app.locator('[data-section="compare"]').click()
}

/** Fills the new-study form's search space: one row per parameter, values as typed ("0.05, 0.005"). */
export async function fillStudySpace(app: Page, params: [string, string][]): Promise<void> {
  const form = app.getByTestId('new-study')
  for (const [i, [path, values]] of params.entries()) {
    if (i > 0) await form.getByRole('button', { name: 'Add parameter' }).click()
    await form.getByRole('combobox', { name: `Parameter ${i + 1}` }).fill(path)
    await form.getByRole('textbox', { name: `Values ${i + 1}` }).fill(values)
  }
}

/** Imports the Shapes sample, saves the template "Design a model for it" picks (the MNIST CNN) as "shapes cnn", and trains it `epochs` epochs to completion with its predictions shown. */
export async function trainShapesCnn(app: Page, epochs: number): Promise<void> {
  await app.locator('[data-section="datasets"]').click()
  await app.getByRole('button', { name: 'Shapes' }).click()
  await app.getByTestId('start-import').click()
  await expect(app.getByTestId('datasets-message')).toContainText('Imported "shapes"')
  await app.getByTestId('datasets-message').getByTestId('design-model').click()
  await expect(app.getByTestId('designer-message')).toContainText('Bound to shapes v1')
  await expect(app.getByTestId('no-issues')).toBeVisible()
  await app.getByRole('textbox', { name: 'Model name' }).fill('shapes cnn')
  await app.getByTestId('save-model').click()
  await expect(app.getByTestId('designer-message')).toContainText('version 1')

  await app.locator('[data-section="runs"]').click()
  await app.getByRole('combobox', { name: 'Model', exact: true }).selectOption({ label: 'shapes cnn' })
  const datasetSelect = app.getByRole('combobox', { name: 'Dataset version' })
  const option = (await datasetSelect.locator('option', { hasText: 'shapes v1' }).first().textContent())!
  await datasetSelect.selectOption({ label: option })
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill(String(epochs))
  await app.getByTestId('train').click()
  await expect(app.getByTestId('run-state')).toHaveText('completed', { timeout: 120_000 })
  // The final model's predictions open with the run.
  await expect(app.getByTestId('prediction-row').first()).toBeVisible({ timeout: 60_000 })
}

/**
 * Waits for the open study's status line to contain `text`. When it never shows, fails with what
 * the page showed instead (the studies panel's message, a section error, the page's text), since a
 * bare "element not found" says nothing about why the study did not open.
 */
export async function expectStudyStatus(app: Page, text: string, timeout = 10_000): Promise<void> {
  const pageErrors: string[] = []
  const onError = (e: Error) => pageErrors.push(e.message)
  app.on('pageerror', onError)
  try {
    await expect(app.getByTestId('study-status')).toContainText(text, { timeout })
  } catch (e) {
    const shown = async (id: string) => (await app.getByTestId(id).allTextContents()).join(' | ')
    const body = (await app.locator('main').innerText().catch(() => '')).slice(0, 1500)
    throw new Error(
      `${(e as Error).message}\nstudy message: ${await shown('study-message')}\nsection error: ${await shown('section-error')}\npage errors: ${pageErrors.join(' | ')}\npage: ${body}`,
    )
  } finally {
    app.off('pageerror', onError)
  }
}
