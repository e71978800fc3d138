// The first hour, Datasets: the CSV preview is one grid (values under their headers, wide files
// scroll sideways, cut names have a tooltip) and "What to predict" sits on top with its task.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
]

/** A wide weather-like file: 14 columns, names and values of very different lengths. */
function writeWideCsv(path: string): void {
  const header = ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather', 'station_name_with_a_really_long_title_that_cannot_fit', 'humidity', 'pressure_hpa', 'visibility_km', 'cloud_cover', 'dew_point', 'uv', 'notes']
  const lines = [header.join(',')]
  for (let i = 0; i < 300; i++) {
    const long = i % 5 === 0 ? 'a considerably longer free-text remark that goes on and on past any column width' : 'ok'
    lines.push([`2012-01-${String((i % 28) + 1).padStart(2, '0')}`, (i % 7 === 0 ? 12.345678 : i % 3) * 1.1, (10 + (i % 13) * 1.37).toFixed(i % 4), -3 + (i % 9), (i % 11) / 3, ['rain', 'sun', 'drizzle', 'snow', 'fog'][i % 5], i % 2 ? 'SEATTLE TACOMA INTERNATIONAL AIRPORT WA US' : 'X', 40 + (i % 50), 1000 + i, (i % 20) * 0.5, i % 100, (i % 17) - 5, i % 3, long].join(','))
  }
  writeFileSync(path, lines.join('\n'))
}

/** For every visible row, each cell's x and width minus its header's (all should be 0). */
async function misalignment(app: Page): Promise<{ rows: number; worst: number; columns: number }> {
  return app.getByTestId('preview-table').evaluate((table) => {
    const heads = [...table.querySelectorAll<HTMLElement>('.pt-head > [data-col]')]
    const rows = [...table.querySelectorAll<HTMLElement>('.pt-row')]
    let worst = 0
    for (const row of rows) {
      for (const head of heads) {
        const cell = row.querySelector<HTMLElement>(`[data-col="${head.dataset.col}"]`)
        if (!cell) return { rows: rows.length, worst: Infinity, columns: heads.length }
        const h = head.getBoundingClientRect()
        const c = cell.getBoundingClientRect()
        worst = Math.max(worst, Math.abs(h.x - c.x), Math.abs(h.width - c.width))
      }
    }
    return { rows: rows.length, worst, columns: heads.length }
  })
}

for (const size of SIZES) {
  test(`CSV preview at ${size.width}x${size.height}: one grid, headers over their values, sideways scroll, tooltips`, async ({ app, dataDir }) => {
    await app.setViewportSize(size)
    const csv = join(dataDir, 'weather.csv')
    writeWideCsv(csv)
    await app.locator('[data-section="datasets"]').click()
    await app.getByRole('textbox', { name: 'File or folder path' }).fill(csv)
    await app.getByRole('button', { name: 'Preview' }).click()
    const table = app.getByTestId('preview-table')
    await expect(table).toContainText('precipitation')

    const before = await misalignment(app)
    expect(before.columns).toBe(14)
    expect(before.rows).toBeGreaterThan(5)
    expect(before.worst).toBeLessThan(0.5)

    // Wider than the pane: it scrolls sideways, and stays aligned after scrolling both ways.
    const scroll = await table.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }))
    expect(scroll.scrollWidth).toBeGreaterThan(scroll.clientWidth)
    await table.evaluate((el) => {
      el.scrollLeft = 400
      el.scrollTop = 2000
    })
    await expect.poll(async () => (await misalignment(app)).rows).toBeGreaterThan(5)
    const after = await misalignment(app)
    expect(after.worst).toBeLessThan(0.5)
    // The value under "temp_max" is the temp_max value (row 1: 10.0 with 0 decimals → "10").
    await table.evaluate((el) => {
      el.scrollLeft = 0
      el.scrollTop = 0
    })
    const headTemp = app.locator('.pt-head > [data-col="2"]')
    await expect(headTemp).toContainText('temp_max')
    await expect(app.locator('.pt-row[data-row="0"] > [data-col="2"]')).toHaveText('10')
    await expect(app.locator('.pt-row[data-row="0"] > [data-col="1"]')).toHaveText(/^13\.58/)

    // A long name is cut in the header but readable on hover.
    const longHead = app.locator('.pt-head > [data-col="6"]')
    await expect(longHead).toHaveAttribute('title', /station_name_with_a_really_long_title_that_cannot_fit/)
    const cut = await longHead.locator('.pt-name').evaluate((el) => el.scrollWidth > el.clientWidth)
    expect(cut).toBe(true)
    await app.screenshot({ path: test.info().outputPath(`preview-${size.width}.png`) })
  })
}

test('"What to predict" sits on top of the preview and says the task it implies, following every change', async ({ app, dataDir }) => {
  await app.setViewportSize({ width: 1440, height: 900 })
  const csv = join(dataDir, 'weather.csv')
  writeWideCsv(csv)
  await app.locator('[data-section="datasets"]').click()
  await app.getByRole('textbox', { name: 'File or folder path' }).fill(csv)
  await app.getByRole('button', { name: 'Preview' }).click()
  const picker = app.getByRole('combobox', { name: 'What to predict' })
  await expect(picker).toBeVisible()
  // Above the table: a person sees it before scrolling.
  const pickerBox = (await picker.boundingBox())!
  const tableBox = (await app.getByTestId('preview-table').boundingBox())!
  expect(pickerBox.y).toBeLessThan(tableBox.y)

  await picker.selectOption('weather')
  await expect(app.getByTestId('implied-task')).toHaveText('classification: 5 classes')
  await expect(app.getByRole('combobox', { name: 'weather role' })).toHaveValue('target')
  await picker.selectOption('temp_max')
  await expect(app.getByTestId('implied-task')).toHaveText('regression: a number')
  await expect(app.getByRole('combobox', { name: 'weather role' })).toHaveValue('feature')
  // Choosing in a column card updates the picker too.
  await app.getByRole('combobox', { name: 'uv role' }).selectOption('target')
  await expect(picker).toHaveValue('uv')
  await expect(app.getByTestId('implied-task')).toHaveText('classification: 3 classes')
  await app.getByRole('combobox', { name: 'Task' }).selectOption('regression')
  await expect(app.getByTestId('implied-task')).toHaveText('regression: a number')
  // Column titles are whole (wrapped), not cut.
  const title = app.locator('[data-column="station_name_with_a_really_long_title_that_cannot_fit"] .column-name')
  expect(await title.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
  await app.screenshot({ path: test.info().outputPath('target-picker.png'), fullPage: true })
})
