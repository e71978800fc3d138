import Database from 'better-sqlite3'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { insertMetrics } from '../../main/store/queries/metrics'
import type { MetricRow } from '../../common/runs/types'
import { expect, test } from './fixtures'
import { chooseModelAndData, importCsvUi, saveTemplateForDataset, writeBlobsCsv } from './steps'

async function train(app: Page, learningRate: string, done: number): Promise<void> {
  await app.getByRole('spinbutton', { name: 'Learning rate' }).fill(learningRate)
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill('4')
  await app.getByRole('spinbutton', { name: 'Batch size' }).fill('16')
  await app.getByTestId('train').click()
  await expect(app.getByTestId('run-list').locator('.state-completed')).toHaveCount(done, { timeout: 90_000 })
}

/**
 * Writes `count` finished runs straight into the database file (the host keeps it open in WAL
 * mode, so a second connection may write): each with a 5,000-step loss curve and per-epoch
 * validation metrics, enough to stress the chart with 100 overlaid, downsampled curves.
 */
function seedRuns(dataDir: string, count: number): void {
  const db = new Database(join(dataDir, 'workbench.sqlite'))
  try {
    db.pragma('busy_timeout = 5000')
    const mv = db.prepare('SELECT id FROM model_versions ORDER BY id LIMIT 1').pluck().get() as number
    const dv = db.prepare('SELECT id FROM dataset_versions ORDER BY id LIMIT 1').pluck().get() as number
    const insert = db.prepare(
      `INSERT INTO runs (name, state, model_version_id, dataset_version_id, config_json, tags_json, note, created_at, started_at, ended_at, backend)
       VALUES (?, 'completed', ?, ?, ?, '["perf"]', '', ?, ?, ?, 'wasm')`,
    )
    const rows: MetricRow[] = []
    db.transaction(() => {
      for (let r = 0; r < count; r++) {
        const lr = 10 ** (-4 + (3 * r) / count)
        const config = { optimizer: 'adam', learningRate: lr, momentum: 0.9, schedule: { kind: 'none' }, batchSize: 32, epochs: 50, loss: 'categoricalCrossentropy', earlyStopping: null, seed: r, backend: 'auto', keepCheckpoints: 3 }
        const t0 = 1_700_000_000_000 + r * 1000
        const runId = Number(insert.run(`perf ${String(r).padStart(3, '0')}`, mv, dv, JSON.stringify(config), t0, t0, t0 + 60_000).lastInsertRowid)
        for (let step = 0; step < 5000; step++) {
          const noise = Math.sin(step * 0.37 + r) * 0.05 + Math.sin(step * 7.1 + r * 3) * 0.03
          rows.push({ runId, name: 'loss', step, epoch: Math.floor(step / 100), value: 2 * Math.exp(-step * lr * 0.3) + 0.1 + noise, wallTime: step * (0.01 + r * 1e-4) })
        }
        for (let epoch = 0; epoch < 50; epoch++) {
          const step = epoch * 100 + 99
          rows.push({ runId, name: 'val_loss', step, epoch, value: 2 * Math.exp(-step * lr * 0.25) + 0.15, wallTime: step * 0.01 })
          rows.push({ runId, name: 'val_accuracy', step, epoch, value: 1 - Math.exp(-step * lr * 0.25) * 0.9, wallTime: step * 0.01 })
        }
      }
      insertMetrics(db, rows)
    })()
  } finally {
    db.close()
  }
}

test('compare two runs: overlaid curves, the differing learning rate, two confusion matrices; 100 curves timed', async ({ app, dataDir }) => {
  test.setTimeout(240_000)
  const csv = join(dataDir, 'blobs.csv')
  writeBlobsCsv(csv, 240)
  await importCsvUi(app, csv, 'blobs')
  await saveTemplateForDataset(app, 'blobs v1', 'blob mlp')
  await chooseModelAndData(app, 'blob mlp', 'blobs v1 (240 rows)')
  await expect(app.getByRole('combobox', { name: 'Loss' })).toHaveValue('categoricalCrossentropy')
  await train(app, '0.05', 1)
  await train(app, '0.01', 2)

  // The runs table lists both; tick them.
  await app.locator('[data-section="compare"]').click()
  const table = app.getByTestId('runs-table')
  await expect(table.locator('tbody tr[data-run-id]')).toHaveCount(2)
  await expect(table).toContainText('blob mlp v1')
  await expect(table).toContainText('blobs v1')
  await app.getByRole('checkbox', { name: 'Select all runs on this page' }).check()
  await expect(app.getByTestId('selected-count')).toHaveText('2 runs selected')

  // Curves: two overlaid curves per metric, named in the live legend.
  const lossChart = app.getByTestId('compare-chart-loss')
  await expect(lossChart).toHaveAttribute('data-curves', '2')
  await expect(lossChart.locator('canvas')).toBeVisible()
  await expect(lossChart.locator('.u-legend tr.u-series:not(.raw-series)')).toHaveCount(3) // x + two runs
  await expect(lossChart.locator('.u-legend')).toContainText('adam 0.05')
  await expect(lossChart.locator('.u-legend')).toContainText('adam 0.01')
  await expect(app.getByTestId('compare-chart-val_accuracy')).toHaveAttribute('data-curves', '2')

  // Export: the full-resolution series of both runs as a CSV download.
  const [download] = await Promise.all([app.waitForEvent('download'), app.getByTestId('export-csv').click()])
  expect(download.suggestedFilename()).toMatch(/^runs-2-.*\.csv$/)
  const text = readFileSync((await download.path()) as string, 'utf8')
  expect(text.split('\r\n')[0]).toBe('run_id,run,metric,step,epoch,wall_time,value')
  expect(text).toContain(',batch_loss,')

  // Hyperparameters: learningRate is the difference, highlighted, and stays with "only differences".
  await app.getByRole('tab', { name: 'Hyperparameters' }).click()
  const lrRow = app.getByTestId('hyperparam-table').locator('tr[data-key="learningRate"]')
  await expect(lrRow).toHaveClass(/differs/)
  await expect(app.getByTestId('hyperparam-table').locator('tr[data-key="optimizer"]')).not.toHaveClass(/differs/)
  await app.getByRole('checkbox', { name: 'Only differences' }).check()
  await expect(app.getByTestId('hyperparam-table').locator('tbody tr')).toHaveCount(1)
  await expect(lrRow).toContainText('0.05')

  // Evaluation: two confusion matrices side by side, counts and normalized, and per-class F1 bars.
  await app.getByRole('tab', { name: 'Evaluation' }).click()
  await expect(app.getByTestId('compare-confusion')).toHaveCount(2)
  await expect(app.getByTestId('compare-confusion').first()).toContainText('c2')
  await app.getByRole('checkbox', { name: 'Normalized' }).check()
  await expect(app.getByTestId('compare-confusion').first()).toContainText(/0\.\d\d|1\.00/)
  await expect(app.getByTestId('f1-bars')).toContainText('c1')

  // Architecture (same model version) and parallel coordinates render for the pair.
  await app.getByRole('tab', { name: 'Architecture' }).click()
  await expect(app.getByTestId('arch-same')).toContainText('same model version')
  await app.getByRole('tab', { name: 'Parallel coordinates' }).click()
  await expect(app.getByTestId('parallel-coordinates').locator('polyline')).toHaveCount(2)

  // Note, tag and rename in place.
  const fastId = await table.locator('tr', { hasText: 'adam 0.05' }).getAttribute('data-run-id')
  const fast = table.locator(`tr[data-run-id="${fastId}"]`) // by id: while renaming, the name is in a text field
  await fast.getByRole('button', { name: /^Edit note of/ }).click()
  await fast.getByRole('textbox', { name: /^note of/ }).fill('fast learner')
  await fast.getByRole('textbox', { name: /^note of/ }).press('Enter')
  await expect(fast).toContainText('fast learner')
  await app.getByRole('textbox', { name: 'Tag for selected runs' }).fill('lr-sweep')
  await app.getByRole('button', { name: 'Add tag' }).click()
  await expect(table.locator('.tag', { hasText: 'lr-sweep' })).toHaveCount(2)
  await fast.getByRole('button', { name: /^Edit name of/ }).click()
  await fast.getByRole('textbox', { name: /^name of/ }).fill('blob mlp · adam 0.05 (renamed)')
  await fast.getByRole('textbox', { name: /^name of/ }).press('Enter')
  await expect(table).toContainText('blob mlp · adam 0.05 (renamed)')

  // A bad metric filter shows the parser's error inline, naming the token.
  await app.getByRole('textbox', { name: 'Metric filter' }).fill('val_accuracy > $')
  await expect(app.getByTestId('filter-error')).toContainText('"$"')
  await app.getByRole('textbox', { name: 'Metric filter' }).fill('val_accuracy > 0')
  await expect(app.getByTestId('filter-error')).toHaveCount(0)

  // 100 overlaid curves: seed 100 runs, show them all, time the draw after their data arrived,
  // with one chart on screen so the time measured is that chart's alone.
  await app.getByRole('tab', { name: 'Curves' }).click()
  for (const m of ['accuracy', 'val_loss', 'val_accuracy']) await app.getByRole('checkbox', { name: m, exact: true }).uncheck()
  await expect(app.locator('.metric-chart')).toHaveCount(1)
  seedRuns(dataDir, 100)
  await app.getByRole('button', { name: 'Clear selection' }).click()
  await app.locator('[data-section="runs"]').click()
  await app.locator('[data-section="compare"]').click()
  await app.getByRole('combobox', { name: 'Tag filter' }).selectOption('perf')
  await app.getByRole('combobox', { name: 'Runs per page' }).selectOption('100')
  await expect(table.locator('tbody tr[data-run-id]')).toHaveCount(100)
  await expect(app.getByTestId('pagination')).toContainText('1–100 of 100 runs')
  await app.getByRole('checkbox', { name: 'Select all runs on this page' }).check()
  await expect(app.getByTestId('selected-count')).toHaveText('100 runs selected')
  await expect(lossChart).toHaveAttribute('data-curves', '100', { timeout: 30_000 })
  await expect(lossChart).toHaveAttribute('data-draw-ms', /\d/, { timeout: 30_000 })
  const first = await lossChart.getAttribute('data-draw-ms')
  // Again with the code warm: a new selection order is a new request, so fresh data arrives.
  const timings = [first]
  for (const name of ['perf 050', 'perf 051']) {
    await lossChart.evaluate((el) => el.removeAttribute('data-draw-ms'))
    await table.getByRole('checkbox', { name: `Select ${name}`, exact: true }).uncheck()
    await table.getByRole('checkbox', { name: `Select ${name}`, exact: true }).check()
    await expect(lossChart).toHaveAttribute('data-curves', '100')
    await expect(lossChart).toHaveAttribute('data-draw-ms', /\d/, { timeout: 30_000 })
    timings.push(await lossChart.getAttribute('data-draw-ms'))
  }
  const points = await app.evaluate(() => document.querySelector('[data-testid="compare-chart-loss"]')?.clientWidth ?? 0)
  console.log(
    `[compare] 100 overlaid curves (loss, 5,000 steps each, downsampled for a ${points}px chart, smoothing 0.6): ` +
      `draw after the data arrived = ${timings[0]} ms first, then ${timings.slice(1).join(' ms, ')} ms (performance.measure compare-draw:loss)`,
  )

  // Delete one run (with confirmation) and train again from another.
  await table.getByRole('button', { name: 'Delete perf 000' }).click()
  await expect(app.getByRole('dialog', { name: 'Delete runs' })).toContainText('perf 000')
  await app.getByTestId('confirm-delete').click()
  await expect(app.getByTestId('compare-message')).toContainText('Deleted 1 run')
  await expect(app.getByTestId('pagination')).toContainText('of 99 runs')
  await expect(app.getByTestId('selected-count')).toHaveText('99 runs selected')

  await app.getByRole('button', { name: 'Clear filters' }).click()
  await expect(app.getByTestId('pagination')).toContainText('of 101 runs')
  await table.locator('tr', { hasText: 'adam 0.01' }).getByRole('button', { name: 'Train again…' }).click()
  await expect(app.getByTestId('section-runs')).toBeVisible()
  await expect(app.getByRole('spinbutton', { name: 'Learning rate' })).toHaveValue('0.01')
  await expect(app.getByRole('spinbutton', { name: 'Epochs' })).toHaveValue('4')
  await expect(app.getByRole('combobox', { name: 'Model version' })).toBeVisible()
  await expect(app.getByTestId('train')).toBeEnabled()
})
