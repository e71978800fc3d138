// The first hour, across sections: "Design a model for it" after an import, fading info messages,
// the run in progress in the status bar, the Designer toolbar on one line at 1440 px, the sidebar
// collapsed at 1024 px, the System panel (Escape, one-line load errors) and the matrix header.
import { join } from 'node:path'
import { expect, test } from './fixtures'
import { chooseModelAndData, importCsvUi, writeBlobsCsv } from './steps'

test('after an import, "Design a model for it" opens a bound model; saving preselects it in Runs; info messages fade', async ({ app, dataDir }) => {
  await app.setViewportSize({ width: 1440, height: 900 })
  const csv = join(dataDir, 'blobs.csv')
  writeBlobsCsv(csv, 120)
  await importCsvUi(app, csv, 'blobs')
  // Offered once: in the banner while it shows, not again in the version's details below it.
  await expect(app.getByTestId('version-detail')).toBeVisible()
  await expect(app.getByTestId('design-model')).toHaveCount(1)
  await app.getByTestId('datasets-message').getByTestId('design-model').click()
  await expect(app.getByTestId('section-designer')).toBeVisible()
  await expect(app.getByTestId('layer-node').first()).toBeVisible()
  await expect(app.getByRole('combobox', { name: 'Bind dataset' }).locator('option:checked')).toHaveText('blobs v1')
  await expect(app.getByTestId('no-issues')).toBeVisible()
  await expect(app.getByRole('textbox', { name: 'Model name' })).toHaveValue('blobs model')
  await app.getByTestId('save-model').click()
  const saved = app.getByTestId('designer-message')
  await expect(saved).toContainText('Saved "blobs model" as version 1')
  // "Saved" fades away by itself.
  await expect(saved).toHaveCount(0, { timeout: 15_000 })
  await app.locator('[data-section="runs"]').click()
  await expect(app.getByRole('combobox', { name: 'Model', exact: true }).locator('option:checked')).toHaveText('blobs model')
  await expect(app.getByRole('combobox', { name: 'Dataset version' }).locator('option:checked')).toHaveText('blobs v1 (120 rows)')
  await expect(app.getByTestId('fit-ok')).toBeVisible()
})

test('a running run shows in the status bar from every section; the System panel folds load errors and closes on Escape', async ({ app, dataDir }) => {
  test.setTimeout(120_000)
  await app.setViewportSize({ width: 1440, height: 900 })
  const csv = join(dataDir, 'blobs.csv')
  writeBlobsCsv(csv, 600)
  await importCsvUi(app, csv, 'blobs')
  await app.getByTestId('datasets-message').getByTestId('design-model').click()
  await app.getByTestId('save-model').click()
  await chooseModelAndData(app, 'blobs model', 'blobs v1 (600 rows)')
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill('40')
  await app.getByRole('spinbutton', { name: 'Batch size' }).fill('8')
  await app.getByTestId('train').click()
  const chip = app.getByTestId('active-run')
  await expect(chip).toContainText(/Training|Queued/)
  for (const section of ['datasets', 'designer', 'compare']) {
    await app.locator(`[data-section="${section}"]`).click()
    await expect(chip).toBeVisible()
  }
  // Epochs count from 1, as everywhere else.
  await expect(chip).toContainText(/epoch [1-9]\d*\/40/, { timeout: 30_000 })
  await app.screenshot({ path: test.info().outputPath('status-bar-run.png') })
  await chip.click()
  await expect(app.getByTestId('section-runs')).toBeVisible()
  await expect(app.getByTestId('run-state')).toHaveText(/running|queued|completed/)
  await expect(app.getByTestId('run-state')).toHaveText('completed', { timeout: 90_000 })
  await expect(chip).toHaveCount(0)

  // The confusion matrix header reads as words, without escape backslashes.
  const corner = app.getByTestId('confusion-matrix').locator('thead th').first()
  await expect(corner).toHaveText('truth ↓ · predicted →')

  await app.getByTestId('backend-chip').click()
  const panel = app.getByRole('dialog', { name: 'System' })
  await expect(panel).toBeVisible()
  const gpu = panel.getByTestId('last-run-backend').locator('[data-backend="tensorflow-gpu"]')
  await expect(gpu.locator('.error-line')).toContainText("Cannot find module '@tensorflow/tfjs-node-gpu'")
  const line = await gpu.locator('.error-line').evaluate((el) => ({ text: el.textContent ?? '', height: el.getBoundingClientRect().height }))
  expect(line.text).not.toContain('\n')
  expect(line.text.length).toBeLessThanOrEqual(160)
  // The full error is there, folded.
  await expect(gpu.locator('details pre')).toBeHidden()
  await gpu.locator('details summary').click()
  await expect(gpu.locator('details pre')).toBeVisible()
  await app.screenshot({ path: test.info().outputPath('system-panel.png') })
  await app.keyboard.press('Escape')
  await expect(panel).toHaveCount(0)
})

test('at 1440x900 the Designer toolbar is one line; at 1024x700 the sidebar collapses and the canvas keeps its room', async ({ app, dataDir }) => {
  const csv = join(dataDir, 'blobs.csv')
  writeBlobsCsv(csv, 120)
  await app.setViewportSize({ width: 1440, height: 900 })
  await importCsvUi(app, csv, 'blobs')
  await app.getByTestId('datasets-message').getByTestId('design-model').click()
  await app.getByTestId('save-model').click()
  await expect(app.getByRole('combobox', { name: 'Version' })).toBeVisible()
  // A change after saving: the unsaved marker joins the toolbar too.
  await app.locator('.react-flow__node:has([data-layer-type="Input"])').click()
  await app.getByTestId('param-shape').fill('3')
  await app.getByRole('textbox', { name: 'Model name' }).fill('blobs model, second try')
  await expect(app.getByTestId('unsaved')).toBeVisible()
  const toolbar = app.locator('.toolbar')
  const rows = await toolbar.evaluate((el) => new Set([...el.children].filter((c) => (c as HTMLElement).offsetParent !== null).map((c) => Math.round(c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2))).size)
  expect(rows).toBe(1)
  const fits = await toolbar.evaluate((el) => el.scrollWidth <= el.clientWidth)
  expect(fits).toBe(true)
  await app.screenshot({ path: test.info().outputPath('designer-1440.png') })

  await app.setViewportSize({ width: 1024, height: 700 })
  const sidebar = (await app.getByRole('navigation', { name: 'Sections' }).boundingBox())!
  expect(sidebar.width).toBeLessThanOrEqual(64)
  // Collapsed, the sections keep their names for screen readers and tooltips.
  await expect(app.getByRole('button', { name: 'Runs' })).toBeVisible()
  const canvas = (await app.getByTestId('canvas').boundingBox())!
  expect(canvas.width).toBeGreaterThanOrEqual(520)
  expect(canvas.height).toBeGreaterThanOrEqual(500)
  // Narrow, the toolbar wraps instead of hiding its last buttons off to the side.
  expect(await toolbar.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
  for (const name of ['Import…', 'Export…']) {
    const box = (await toolbar.getByRole('button', { name, exact: true }).boundingBox())!
    expect(box.x + box.width).toBeLessThanOrEqual(1024)
  }
  await app.screenshot({ path: test.info().outputPath('designer-1024.png') })
  await app.locator('[data-section="datasets"]').click()
  await app.screenshot({ path: test.info().outputPath('datasets-1024.png') })
})

test('"Design a model for it" picks a template that fits images and text too', async ({ app }) => {
  await app.locator('[data-section="datasets"]').click()
  for (const [sample, name, input] of [
    ['Shapes', 'shapes', 'input [28, 28, 1]'],
    ['Reviews (text)', 'reviews', 'input [40]'],
  ] as const) {
    await app.locator('[data-section="datasets"]').click()
    await app.getByRole('button', { name: sample }).click()
    await app.getByTestId('start-import').click()
    await expect(app.getByTestId('datasets-message')).toContainText(`Imported "${name}"`)
    await app.getByTestId('datasets-message').getByTestId('design-model').click()
    await expect(app.getByTestId('designer-message')).toContainText(`Bound to ${name} v1: ${input}`)
    await expect(app.getByTestId('no-issues')).toBeVisible()
  }
})
