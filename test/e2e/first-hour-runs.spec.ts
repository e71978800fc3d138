// The first hour in the Runs section (issue 10): per-epoch charts that show a lone epoch on a
// 1-based axis, a paused run that says so, a run summary, the final evaluation with its
// predictions at once (one confusion matrix whose cells filter them, images as a grid), a
// regression run's predicted-vs-actual plot without the target among its inputs, Try it that
// refuses unreadable values per column and says what it filled in, and date statistics as dates.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { writeShapeImages } from '../../main/datasets/samples/shapes'
import { defaultParams } from '../../common/graph/catalog'
import type { LayerType } from '../../common/graph/types'
import { expect, test } from './fixtures'
import { rpc, rpcResult } from './rpc'
import { chooseModelAndData, importCsvUi, saveTemplateForDataset, writeBlobsCsv } from './steps'

const SHOTS = 'test-results/first-hour'

/** Screenshots at both window sizes, with `focus` scrolled into view (for a person to look at). */
async function shoot(app: Page, name: string, focus: Locator): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await app.setViewportSize({ width: w, height: h })
    await focus.evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await app.screenshot({ path: join(SHOTS, `${name}-${w}x${h}.png`), fullPage: true })
  }
  await app.setViewportSize({ width: 1440, height: 900 })
}

async function train(app: Page, epochs: number, batch = 16, lr = '0.02'): Promise<void> {
  await app.getByRole('spinbutton', { name: 'Learning rate' }).fill(lr)
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill(String(epochs))
  await app.getByRole('spinbutton', { name: 'Batch size' }).fill(String(batch))
  await app.getByTestId('train').click()
}

/** Pixels of a chart's canvas within `tol` of an RGB color (the curve's, or its dots'). */
async function pixelsOfColor(chart: Locator, rgb: [number, number, number], tol = 40): Promise<number> {
  return chart.locator('canvas').first().evaluate((c: HTMLCanvasElement, [r, g, b, t]) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    let n = 0
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - r) < t && Math.abs(d[i + 1]! - g) < t && Math.abs(d[i + 2]! - b) < t && d[i + 3]! > 200) n++
    return n
  }, [...rgb, tol] as [number, number, number, number])
}

test('a classification run: one epoch is drawn, the summary, the final evaluation with predictions, cells that filter, a paused status', async ({ app, dataDir }) => {
  await app.setViewportSize({ width: 1440, height: 900 })
  const csv = join(dataDir, 'blobs.csv')
  writeBlobsCsv(csv, 600, 1.6)
  await importCsvUi(app, csv, 'blobs')
  await saveTemplateForDataset(app, 'blobs v1', 'blob mlp')
  await chooseModelAndData(app, 'blob mlp', 'blobs v1 (600 rows)')

  // One epoch: the per-epoch charts have one point each, on an axis that says "epoch" and counts from 1.
  await train(app, 1)
  await expect(app.getByTestId('run-state')).toHaveText('completed', { timeout: 60_000 })
  const lossChart = app.getByTestId('chart-loss')
  await expect(lossChart).toHaveAttribute('data-points', '2') // loss and val_loss, one epoch each
  await expect(lossChart.locator('.u-label').first()).toHaveText('epoch')
  await expect(lossChart).toHaveAttribute('data-x-ticks', '1')
  // The lone point is drawn as a dot in the line's color (#2f6fed), not left as bare axes.
  expect(await pixelsOfColor(lossChart, [0x2f, 0x6f, 0xed])).toBeGreaterThan(10)

  // The summary: when, how long, the hyperparameters and the final metrics.
  const summary = app.getByTestId('run-summary')
  await expect(summary).toContainText('learning rate')
  await expect(summary).toContainText('0.02')
  await expect(summary).toContainText('batch size')
  await expect(app.getByTestId('summary-started')).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d$/)
  await expect(app.getByTestId('summary-duration')).toHaveText(/\d s$/)
  await expect(app.getByTestId('summary-metrics')).toContainText('final val_loss')
  await expect(app.getByTestId('summary-metrics')).toContainText('test accuracy')

  // The final evaluation and its predictions, without pressing Evaluate; one matrix only.
  await expect(app.getByTestId('predictions-range')).toContainText(/^1–\d+ of \d+/, { timeout: 30_000 })
  await expect(app.getByTestId('run-view').locator('table.confusion')).toHaveCount(1)
  await expect(app.getByTestId('checkpoint-eval').locator('h3')).toContainText('Final model')
  await expect(app.getByTestId('confusion-matrix').locator('thead th').first()).toHaveText('truth ↓ · predicted →')

  // A cell narrows the predictions to its true and predicted class.
  const cells = app.getByTestId('confusion-matrix').getByRole('button', { name: /^[1-9]\d* with truth c\d predicted c\d$/ })
  const cell = cells.first()
  const label = (await cell.getAttribute('aria-label'))!
  const [, count, truth, predicted] = /^(\d+) with truth (c\d) predicted (c\d)$/.exec(label)!
  await cell.click()
  await expect(app.getByTestId('predictions-range')).toContainText(`of ${count} `)
  await expect(app.getByRole('combobox', { name: 'True class' })).toHaveValue(truth!)
  await expect(app.getByRole('combobox', { name: 'Predicted class' })).toHaveValue(predicted!)
  const rows = app.getByTestId('prediction-row')
  await expect(rows).toHaveCount(Math.min(24, Number(count)))
  for (const r of await rows.all()) {
    await expect(r.locator('td').nth(2)).toHaveText(truth!)
    await expect(r.locator('td').nth(3)).toHaveText(predicted!)
  }
  await shoot(app, 'runs-classification', app.getByTestId('checkpoint-eval'))

  // Evaluating a checkpoint replaces the evaluation: still one matrix.
  await app.getByTestId('checkpoint-row').first().getByRole('button', { name: 'Evaluate' }).click()
  await expect(app.getByTestId('checkpoint-eval').locator('h3')).toContainText('Checkpoint at epoch 1')
  await expect(app.getByTestId('run-view').locator('table.confusion')).toHaveCount(1)

  // A long run, paused: the status says "paused" with no speed or ETA, and the bar stays.
  await train(app, 400, 4)
  const text = app.getByTestId('run-progress-text')
  await expect(text).toContainText(/samples\/s/, { timeout: 30_000 })
  await app.getByRole('button', { name: 'Pause', exact: true }).click()
  await expect(app.getByTestId('run-state')).toHaveText('paused', { timeout: 30_000 })
  await expect(text).toHaveText(/^paused · epoch \d+\/400 · step \d+\/\d+$/)
  // The run's duration keeps counting with no new data arriving.
  const duration = app.getByTestId('summary-duration')
  const shown = (await duration.textContent()) ?? ''
  await expect(duration).not.toHaveText(shown, { timeout: 5_000 })
  const bar = app.getByTestId('run-progress-bar')
  await expect(bar).toBeVisible()
  expect(Number(await bar.getAttribute('value'))).toBeGreaterThan(0)
  await shoot(app, 'runs-paused', app.getByTestId('run-view'))
  await app.getByRole('button', { name: 'Stop', exact: true }).click()
  await expect(app.getByTestId('run-state')).toHaveText('stopped', { timeout: 30_000 })
})

/** A small cars table: mpg (the target) from horsepower, weight, origin and the build date. */
function writeCarsCsv(path: string, rows: number): void {
  const origins = ['usa', 'japan', 'europe']
  const lines = ['horsepower,weight,origin,built,mpg']
  for (let i = 0; i < rows; i++) {
    const hp = 60 + ((i * 37) % 160)
    const weight = 1800 + ((i * 211) % 2600)
    const origin = origins[i % 3]!
    const day = new Date(Date.UTC(2018, 0, 1) + ((i * 13) % 1500) * 86_400_000).toISOString().slice(0, 10)
    const mpg = 46 - 0.08 * hp - 0.004 * weight + (origin === 'japan' ? 3 : 0) + Math.sin(i) * 1.5
    lines.push(`${hp},${weight},${origin},${day},${mpg.toFixed(2)}`)
  }
  writeFileSync(path, lines.join('\n'))
}

test('a regression run: dates read as dates, predicted vs actual, no target among the inputs, Try it checks each value', async ({ app, dataDir }) => {
  await app.setViewportSize({ width: 1440, height: 900 })
  const csv = join(dataDir, 'cars.csv')
  writeCarsCsv(csv, 300)
  await app.locator('[data-section="datasets"]').click()
  await app.getByRole('textbox', { name: 'File or folder path' }).fill(csv)
  await app.getByRole('button', { name: 'Preview' }).click()
  // Date statistics: a range of dates and a mean date, never raw day counts.
  const built = app.locator('[data-column="built"] .column-stats')
  await expect(built).toContainText(/from 2018-01-0\d to 2022-\d\d-\d\d · mean 20\d\d-\d\d-\d\d · std \d+ days/)
  await expect(built).not.toContainText(/\b1[78]\d{3}\b/)
  await app.getByRole('textbox', { name: 'Dataset name' }).fill('cars')
  await app.getByTestId('start-import').click()
  await expect(app.getByTestId('datasets-message')).toContainText('Imported "cars"')

  await saveTemplateForDataset(app, 'cars v1', 'cars mlp')
  await chooseModelAndData(app, 'cars mlp', 'cars v1 (300 rows)')
  await train(app, 3, 16, '0.01')
  await expect(app.getByTestId('run-state')).toHaveText('completed', { timeout: 60_000 })

  // A summary with the test errors, and the predicted-vs-actual plot beside the predictions.
  await expect(app.getByTestId('summary-metrics')).toContainText('test RMSE')
  await expect(app.getByTestId('summary-metrics')).toContainText('test R²')
  const scatter = app.getByTestId('predicted-vs-actual')
  await expect(scatter).toBeVisible({ timeout: 30_000 })
  await expect(scatter).toContainText('Predicted vs actual mpg')
  expect(Number(await scatter.getAttribute('data-points'))).toBeGreaterThan(10)
  expect(await scatter.locator('circle').count()).toBe(Number(await scatter.getAttribute('data-points')))
  const first = app.getByTestId('prediction-row').first()
  await expect(first).toContainText('horsepower=')
  await expect(first).not.toContainText('mpg=')

  // Try it: origin is a dropdown of the categories training saw; an unreadable number is refused at its field.
  const origin = app.getByRole('combobox', { name: 'Value of origin' })
  await expect(origin.locator('option').first()).toHaveText('(empty: filled in)')
  expect((await origin.locator('option').allTextContents()).slice(1).sort()).toEqual(['europe', 'japan', 'usa'])
  await app.getByRole('textbox', { name: 'Value of horsepower' }).fill('abc')
  await app.getByRole('textbox', { name: 'Value of weight' }).fill('2500')
  await origin.selectOption('japan')
  await app.getByTestId('try-predict').click()
  await expect(app.getByTestId('try-field-error-horsepower')).toHaveText('horsepower: "abc" is not a number.')
  await expect(app.getByTestId('try-result')).toHaveCount(0)
  // Main refuses an impossible category too (a client that skips the dropdown), naming the field.
  const runId = (await rpc<{ id: number }[]>(app, 'runs.recent', { limit: 1 }))[0]!.id
  const mars = await rpcResult(app, 'runs.predict', { runId, input: { kind: 'row', values: { horsepower: '100', weight: '2500', origin: 'Mars', built: '2020-01-01' } } })
  expect(mars.ok).toBe(false)
  expect(!mars.ok && mars.details).toEqual({ fields: [{ column: 'origin', message: expect.stringContaining('"Mars" is not a category training saw') }] })
  // Left empty, horsepower is filled in, and the answer says with what.
  await app.getByRole('textbox', { name: 'Value of horsepower' }).fill('')
  await app.getByTestId('try-predict').click()
  await expect(app.getByTestId('try-value')).toHaveText(/^-?\d/)
  await expect(app.getByTestId('try-imputed')).toContainText('horsepower = ')
  await expect(app.getByTestId('try-imputed')).toContainText('built = 20')
  await shoot(app, 'runs-regression', app.getByTestId('checkpoint-eval'))
})

test('an image run: the final predictions as a grid, filterable by true and predicted class', async ({ app, dataDir }) => {
  await app.setViewportSize({ width: 1440, height: 900 })
  const folder = join(dataDir, 'shapes')
  await writeShapeImages(folder, 12)
  await rpc(app, 'datasets.import', { kind: 'images', path: folder, options: { name: 'shapes', width: 16, height: 16, channels: 1 } })
  await expect.poll(async () => (await rpc<{ name: string }[]>(app, 'datasets.list', {})).map((d) => d.name), { timeout: 30_000 }).toEqual(['shapes'])
  const layers: [LayerType, Record<string, unknown>][] = [
    ['Input', { shape: [16, 16, 1] }],
    ['Flatten', {}],
    ['Dense', { units: 3, activation: 'softmax' }],
  ]
  const graph = {
    formatVersion: 1,
    nodes: layers.map(([type, params], i) => ({ id: `n${i + 1}`, type, name: `${type.toLowerCase()}_${i + 1}`, params: { ...defaultParams(type), ...params }, position: { x: 0, y: i * 80 } })),
    edges: layers.slice(1).map((_, i) => ({ id: `e${i + 1}`, source: `n${i + 1}`, target: `n${i + 2}` })),
  }
  await rpc(app, 'models.save', { name: 'shapes dense', graph })
  await chooseModelAndData(app, 'shapes dense', 'shapes v1 (36 rows)')
  await train(app, 2, 4, '0.01')
  await expect(app.getByTestId('run-state')).toHaveText('completed', { timeout: 60_000 })

  const grid = app.getByTestId('prediction-grid')
  await expect(grid).toBeVisible({ timeout: 30_000 })
  const tiles = grid.getByTestId('prediction-row')
  const all = await tiles.count()
  expect(all).toBeGreaterThan(0)
  await expect(tiles.first().locator('canvas.pixel-thumb')).toBeVisible()
  // Tiles sit side by side: the second starts to the right of the first, on the same row.
  if (all > 1) {
    const [a, b] = [await tiles.nth(0).boundingBox(), await tiles.nth(1).boundingBox()]
    expect(b!.x).toBeGreaterThan(a!.x + a!.width - 1)
    expect(Math.abs(b!.y - a!.y)).toBeLessThan(2)
  }
  await app.getByRole('combobox', { name: 'True class' }).selectOption('circle')
  await expect(app.getByTestId('predictions-range')).toContainText(/of \d+|none/)
  for (const t of await tiles.all()) await expect(t.locator('.tile-label').first()).toHaveText('true circle')
  await shoot(app, 'runs-images', app.getByTestId('checkpoint-eval'))
})
