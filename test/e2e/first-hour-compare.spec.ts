// The first hour in Compare (issue 10): epochs on a 1-based whole-number axis, no smoothing on
// short curves, runs hidden by the filter left out of the charts (and named), losses of different
// loss functions on separate charts with a note, a filter error that dims the stale results,
// evaluations side by side, and a runs table whose first and last columns stay put.
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { insertMetrics } from '../../main/store/queries/metrics'
import type { MetricRow } from '../../common/runs/types'
import { expect, test } from './fixtures'
import { importCsvUi, saveTemplateForDataset, writeBlobsCsv } from './steps'

const SHOTS = 'test-results/first-hour'
const CLASSES = Array.from({ length: 10 }, (_, i) => `class${i}`)

/**
 * Writes three finished two-epoch runs into the database: two classifiers (cross-entropy ~0.5,
 * ten classes, so their confusion matrices are wide) and one regression (MSE ~300).
 */
function seedRuns(dataDir: string): void {
  const db = new Database(join(dataDir, 'workbench.sqlite'))
  try {
    db.pragma('busy_timeout = 5000')
    const mv = db.prepare('SELECT id FROM model_versions ORDER BY id LIMIT 1').pluck().get() as number
    const dv = db.prepare('SELECT id FROM dataset_versions ORDER BY id LIMIT 1').pluck().get() as number
    const insert = db.prepare(
      `INSERT INTO runs (name, state, model_version_id, dataset_version_id, config_json, tags_json, note, created_at, started_at, ended_at, backend)
       VALUES (?, 'completed', ?, ?, ?, '[]', '', ?, ?, ?, 'wasm')`,
    )
    const evaluation = db.prepare('INSERT INTO run_evaluations (run_id, split, json, created_at) VALUES (?, ?, ?, ?)')
    const rows: MetricRow[] = []
    const runs = [
      { name: 'clf a', loss: 'categoricalCrossentropy', scale: 1, acc: true },
      { name: 'clf b', loss: 'categoricalCrossentropy', scale: 0.8, acc: true },
      { name: 'reg c', loss: 'meanSquaredError', scale: 600, acc: false },
    ]
    db.transaction(() => {
      runs.forEach((r, k) => {
        const config = { optimizer: 'adam', learningRate: 0.01 * (k + 1), momentum: 0.9, schedule: { kind: 'none' }, batchSize: 32, epochs: 2, loss: r.loss, earlyStopping: null, seed: k, backend: 'auto', keepCheckpoints: 3 }
        const t0 = 1_700_000_000_000 + k * 1000
        const runId = Number(insert.run(r.name, mv, dv, JSON.stringify(config), t0, t0, t0 + 30_000).lastInsertRowid)
        for (const epoch of [0, 1]) {
          const step = epoch * 10 + 9
          rows.push({ runId, name: 'loss', step, epoch, value: r.scale * (0.9 - epoch * 0.3), wallTime: step })
          rows.push({ runId, name: 'val_loss', step, epoch, value: r.scale * (1 - epoch * 0.3), wallTime: step })
          if (r.acc) {
            rows.push({ runId, name: 'accuracy', step, epoch, value: 0.6 + epoch * 0.2, wallTime: step })
            rows.push({ runId, name: 'val_accuracy', step, epoch, value: 0.55 + epoch * 0.2, wallTime: step })
          }
        }
        const json = r.acc
          ? {
              kind: 'classification',
              split: 'test',
              classes: CLASSES,
              accuracy: 0.8,
              confusion: CLASSES.map((_, i) => CLASSES.map((_, j) => (i === j ? 80 + k : (i + j) % 3))),
              perClass: CLASSES.map(() => ({ precision: 0.8, recall: 0.8, f1: 0.8, support: 90 })),
              loss: 0.5,
            }
          : { kind: 'regression', split: 'test', mae: 12, rmse: 17, r2: 0.6, loss: 290 }
        evaluation.run(runId, 'test', JSON.stringify(json), t0 + 30_000)
      })
      insertMetrics(db, rows)
    })()
  } finally {
    db.close()
  }
}

/** Screenshots at both window sizes with `focus` scrolled into view. */
async function shoot(app: Page, name: string, focus: Locator): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await app.setViewportSize({ width: w, height: h })
    await focus.evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await app.screenshot({ path: join(SHOTS, `${name}-${w}x${h}.png`) })
  }
  await app.setViewportSize({ width: 1440, height: 900 })
}

test('compare: 1-based epochs, raw short curves, filtered runs left out, losses split by function, stale results dimmed, evaluations side by side, sticky columns', async ({ app, dataDir }) => {
  await app.setViewportSize({ width: 1440, height: 900 })
  const csv = join(dataDir, 'blobs.csv')
  writeBlobsCsv(csv, 90)
  await importCsvUi(app, csv, 'blobs')
  await saveTemplateForDataset(app, 'blobs v1', 'blob mlp')
  seedRuns(dataDir)

  await app.locator('[data-section="compare"]').click()
  await expect(app.getByTestId('runs-table').locator('tbody tr[data-run-id]')).toHaveCount(3)
  await app.getByRole('checkbox', { name: 'Select all runs on this page' }).check()
  await expect(app.getByTestId('selected-count')).toHaveText('3 runs selected')

  // Losses of different loss functions: one chart each, and a sentence saying why.
  const lossCharts = app.getByTestId('compare-chart-loss')
  await expect(lossCharts).toHaveCount(2)
  const ceLoss = app.locator('[data-testid="compare-chart-loss"][data-group="categoricalCrossentropy"]')
  await expect(ceLoss).toHaveAttribute('data-curves', '2')
  await expect(app.locator('[data-testid="compare-chart-loss"][data-group="meanSquaredError"]')).toHaveAttribute('data-curves', '1')
  await expect(app.getByTestId('separate-scales')).toContainText('categoricalCrossentropy')
  await expect(app.getByTestId('separate-scales')).toContainText('meanSquaredError')
  await expect(app.getByTestId('compare-chart-accuracy')).toHaveCount(1)

  // Two points per run: drawn raw by default (automatic smoothing), no faint raw copies.
  await expect(app.getByTestId('smoothing-value')).toHaveText('auto')
  await expect(ceLoss).toHaveAttribute('data-smoothing', '0')
  await expect(ceLoss.locator('.u-legend tr.raw-series')).toHaveCount(0)
  // Chosen by hand, smoothing applies whatever the length, with the raw curves faint behind.
  await app.getByRole('checkbox', { name: 'Automatic smoothing' }).uncheck()
  await expect(ceLoss).toHaveAttribute('data-smoothing', '0.6')
  await expect(ceLoss.locator('.u-legend tr.raw-series')).toHaveCount(2)
  await app.getByRole('checkbox', { name: 'Automatic smoothing' }).check()
  await expect(ceLoss).toHaveAttribute('data-smoothing', '0')

  // Epochs count from 1, in whole numbers.
  await app.getByRole('combobox', { name: 'X axis' }).selectOption('epoch')
  const acc = app.getByTestId('compare-chart-val_accuracy')
  await expect(acc).toHaveAttribute('data-x-min', '1')
  await expect(acc).toHaveAttribute('data-x-ticks', '1,2')
  await shoot(app, 'compare-curves', app.getByTestId('compare-view'))

  // A filter that hides the regression run takes it off the charts too, and says so.
  const expr = app.getByRole('textbox', { name: 'Metric filter' })
  await expr.fill('accuracy > 0')
  await expect(app.getByTestId('runs-table').locator('tbody tr[data-run-id]')).toHaveCount(2)
  await expect(app.getByTestId('hidden-by-filter')).toContainText('1 selected run is hidden by the filter and not drawn: reg c')
  await expect(app.getByRole('list', { name: 'Selected runs' })).toContainText('reg c (hidden by the filter)')
  await expect(lossCharts).toHaveCount(1)
  await expect(lossCharts).toHaveAttribute('data-curves', '2')
  await expect(app.getByTestId('separate-scales')).toHaveCount(0)

  // A filter error: the message, and the (stale) results dimmed with a sentence saying so.
  await expr.fill('accuracy >')
  await expect(app.getByTestId('filter-error')).toBeVisible()
  await expect(app.getByTestId('stale-results')).toBeVisible()
  await expect(app.getByTestId('runs-table-wrap')).toHaveAttribute('data-stale', 'true')
  await shoot(app, 'compare-filter-error', app.getByTestId('runs-filters'))
  await expr.fill('')
  await expect(app.getByTestId('stale-results')).toHaveCount(0)
  await expect(app.getByTestId('runs-table-wrap')).not.toHaveAttribute('data-stale', 'true')
  await expect(app.getByTestId('hidden-by-filter')).toHaveCount(0)
  await expect(lossCharts).toHaveCount(2)

  // Evaluations side by side, at both window sizes.
  await app.getByRole('tab', { name: 'Evaluation' }).click()
  const cards = app.getByTestId('compare-confusion')
  await expect(cards).toHaveCount(2)
  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await app.setViewportSize({ width: w, height: h })
    const [a, b] = [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()]
    expect(Math.abs(a!.y - b!.y)).toBeLessThan(2)
    expect(b!.x).toBeGreaterThanOrEqual(a!.x + a!.width)
  }
  await shoot(app, 'compare-evaluation', app.getByTestId('compare-view'))

  // Unscrolled, the sticky name column sits in its own place (covering no neighbour).
  const firstRow = app.getByTestId('runs-table').locator('tbody tr[data-run-id]').first()
  const nameAt = (await firstRow.locator('td.sticky-name').boundingBox())!
  const nextAt = (await firstRow.locator('td.sticky-name + td').boundingBox())!
  expect(nextAt.x).toBeGreaterThanOrEqual(nameAt.x + nameAt.width - 1)

  // The runs table scrolled sideways: the check and name columns stay at the left, the actions at the right.
  await app.setViewportSize({ width: 1024, height: 700 })
  const wrap = app.getByTestId('runs-table-wrap')
  await wrap.evaluate((el) => {
    el.style.width = '520px' // narrower than the table, as in a small window with more columns shown
    el.scrollLeft = el.scrollWidth
  })
  expect(await wrap.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0)
  const box = (await wrap.boundingBox())!
  const row = app.getByTestId('runs-table').locator('tbody tr[data-run-id]').first()
  const check = (await row.locator('td.check').boundingBox())!
  const name = (await row.locator('td.sticky-name').boundingBox())!
  const actions = (await row.locator('td.sticky-actions').boundingBox())!
  expect(Math.abs(check.x - box.x)).toBeLessThan(3)
  expect(name.x).toBeGreaterThanOrEqual(check.x + check.width - 1)
  expect(name.x).toBeLessThan(box.x + 60)
  expect(Math.abs(actions.x + actions.width - (box.x + box.width))).toBeLessThan(20)
  await shoot(app, 'compare-sticky', wrap)
})
