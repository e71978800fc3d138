import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH, expect, test } from './fixtures'

const SECTIONS = [
  ['datasets', 'Datasets', 'No datasets yet'],
  ['designer', 'Designer', 'Drag a layer here to start'],
  ['runs', 'Runs', 'No runs yet'],
  ['compare', 'Compare', 'Nothing to compare yet'],
] as const

test('opens the app and visits every section, each with an empty state', async ({ app }) => {
  await expect(app.getByRole('navigation', { name: 'Sections' })).toBeVisible()
  for (const [id, title, empty] of SECTIONS) {
    await app.locator(`[data-section="${id}"]`).click()
    await expect(app.getByRole('heading', { level: 1, name: title })).toBeAttached()
    const emptyState = id === 'designer' ? 'designer-empty' : 'empty-state'
    await expect(app.getByTestId(`section-${id}`).getByTestId(emptyState)).toContainText(empty)
    await expect(app.locator(`[data-section="${id}"]`)).toHaveAttribute('aria-current', 'page')
  }
})

test('the status bar shows the backend training would use, and the system panel says why', async ({ app, dataDir }) => {
  await expect(app.getByTestId('backend-chip')).toContainText('wasm')
  await expect(app.getByTestId('db-path')).toContainText(dataDir)
  await app.getByTestId('backend-chip').click()
  const panel = app.getByRole('dialog', { name: 'System' })
  await expect(panel).toBeVisible()
  await expect(panel.locator('[data-backend="tensorflow-gpu"]')).toContainText('not available')
  await expect(panel.locator('[data-backend="wasm"]')).toContainText('available')
})

test('the theme toggles, is stored in the database and survives a reload, as does the section', async ({ app }) => {
  const theme = () => app.locator('html').getAttribute('data-theme')
  await app.getByTestId('theme-toggle').click() // system -> light
  await expect(app.getByTestId('theme-toggle')).toContainText('light')
  expect(await theme()).toBe('light')
  await app.getByTestId('theme-toggle').click() // light -> dark
  await expect(app.getByTestId('theme-toggle')).toContainText('dark')
  expect(await theme()).toBe('dark')
  await app.locator('[data-section="runs"]').click()
  await app.reload()
  await expect(app.getByRole('heading', { level: 1, name: 'Runs' })).toBeVisible()
  await expect(app.getByTestId('theme-toggle')).toContainText('dark')
  expect(await theme()).toBe('dark')
})

test('the browser host refuses a visit without the token', async ({ hostUrl }) => {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  try {
    const page = await browser.newPage()
    const origin = new URL(hostUrl).origin
    const res = await page.goto(origin + '/')
    expect(res?.status()).toBe(401)
    await expect(page.locator('body')).toContainText('Unauthorized')
    const wrong = await page.goto(origin + '/?token=guess')
    expect(wrong?.status()).toBe(401)
  } finally {
    await browser.close()
  }
})
