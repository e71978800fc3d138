import { expect, test } from './fixtures'
import { fillStudySpace, openStudiesWithBlobs } from './steps'

test('a 2x2 grid study on a small CSV runs 4 trials as runs and shows the best, parallel coordinates and marginal plots', async ({ app, dataDir }) => {
  test.setTimeout(240_000)
  await openStudiesWithBlobs(app, dataDir)
  const form = app.getByTestId('new-study')
  await form.getByRole('textbox', { name: 'Study name' }).fill('lr x units')
  await form.getByRole('combobox', { name: 'Objective metric' }).fill('val_accuracy')
  await form.getByRole('combobox', { name: 'Direction' }).selectOption('max')
  await fillStudySpace(app, [
    ['learningRate', '0.05, 0.005'],
    ['hidden.units', '4, 8'],
  ])
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

  // Parallel coordinates: an axis per varied parameter (both choices, so categorical) and the objective; a line per trial.
  const pc = app.getByTestId('parallel-coordinates')
  await expect(pc.getByTestId('pc-axis')).toHaveCount(3)
  await expect(pc.locator('[data-testid="pc-axis"][data-scale="categorical"]')).toHaveCount(2)
  await expect(pc.getByTestId('pc-line')).toHaveCount(4)
  await expect(pc.locator('.pc-line.is-best')).toHaveCount(1)
  await expect(pc.getByTestId('objective-legend')).toContainText('val_accuracy')
  // Hovering a trial's line highlights that trial's row.
  const line = pc.getByTestId('pc-line').nth(2)
  const trial = await line.getAttribute('data-trial')
  await line.locator('xpath=..').dispatchEvent('mouseover')
  await expect(app.locator(`[data-testid="trial-row"][data-trial="${trial}"]`)).toHaveClass(/is-hovered/)
  await expect(rows.locator('xpath=self::*[contains(@class, "is-hovered")]')).toHaveCount(1)
  await expect(pc.locator('.pc-line.is-faded')).toHaveCount(3)
  // Leaving the line clears the highlight.
  await line.locator('xpath=..').dispatchEvent('mouseout')
  await expect(rows.locator('xpath=self::*[contains(@class, "is-hovered")]')).toHaveCount(0)

  // One marginal plot per varied parameter, a dot per trial in each.
  const marginals = app.getByTestId('marginal-plot')
  await expect(marginals).toHaveCount(2)
  await expect(marginals.first().getByTestId('marginal-dot')).toHaveCount(4)
  await expect(marginals.nth(1).getByTestId('marginal-dot')).toHaveCount(4)

  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ]) {
    await app.setViewportSize({ width: w, height: h })
    await app.getByTestId('study-detail').scrollIntoViewIfNeeded()
    await app.screenshot({ path: test.info().outputPath(`study-view-${w}x${h}.png`) })
  }
  await app.getByTestId('studies').screenshot({ path: test.info().outputPath('study-view.png') })
  // Every trial is an ordinary run, visible in the runs table above.
  await expect(app.getByTestId('runs-table').locator('tbody tr[data-run-id]')).toHaveCount(4)

  await best.getByRole('button', { name: 'Train final model with this config' }).click()
  await expect(app.getByTestId('section-runs')).toBeVisible()
})

test('a 3-fold cross-validation shows mean +/- std per metric and its fold runs', async ({ app, dataDir }) => {
  test.setTimeout(240_000)
  await openStudiesWithBlobs(app, dataDir)
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

test('a grid scored by 2-fold cross-validation shows each trial as the fold mean +/- std', async ({ app, dataDir }) => {
  test.setTimeout(240_000)
  await openStudiesWithBlobs(app, dataDir)
  const form = app.getByTestId('new-study')
  await form.getByRole('textbox', { name: 'Study name' }).fill('lr cv')
  await fillStudySpace(app, [['learningRate', '0.05, 0.005']])
  await form.getByRole('checkbox', { name: 'Cross-validate each trial' }).check()
  await form.getByRole('spinbutton', { name: 'Folds' }).fill('2')
  await app.getByTestId('start-study').click()

  await expect(app.getByTestId('study-status')).toContainText('mean of 2-fold cross-validation')
  const rows = app.getByTestId('trials-table').getByTestId('trial-row')
  await expect(rows).toHaveCount(2)
  await expect(rows.locator('.state-completed')).toHaveCount(2, { timeout: 180_000 })
  for (const row of await rows.all()) await expect(row.getByTestId('trial-objective')).toHaveText(/^\d\.\d+ ± \d/)
  await expect(app.getByTestId('study-best')).toContainText('(mean ± std of 2 folds)')
  // Two trials of two fold runs each, all ordinary runs.
  await expect(app.getByTestId('runs-table').locator('tbody tr[data-run-id]')).toHaveCount(4)
  await expect(app.getByTestId('parallel-coordinates').getByTestId('pc-line')).toHaveCount(2)
  await app.getByTestId('study-detail').screenshot({ path: test.info().outputPath('study-cv-objective.png') })
})
