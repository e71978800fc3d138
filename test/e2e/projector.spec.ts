// The embedding projector: train the Digits CNN (MNIST template) on the Shapes sample, map the
// final model's learned space, see points in more than one class colour, hover one to see its
// sample, click it to open its Grad-CAM in the Explain panel.
import { expect, test } from './fixtures'
import { trainShapesCnn } from './steps'

test('train the MNIST CNN on shapes, open the projector, hover and click a point', async ({ app }) => {
  test.setTimeout(240_000)
  await trainShapesCnn(app, 3)

  const projector = app.getByTestId('projector')
  await projector.getByRole('button', { name: 'Map the learned space' }).click()
  const canvas = projector.getByTestId('projector-canvas')
  await expect(canvas).toBeVisible({ timeout: 120_000 })
  await expect(projector.getByTestId('projector-summary')).toContainText('layer dense')
  await expect(projector.getByRole('list', { name: 'Classes' })).toContainText('circle')

  // The whole map on screen, so every drawn point can be pointed at (the layout depends on the trained weights).
  await canvas.evaluate((c) => c.scrollIntoView({ block: 'center' }))
  // Read back what the canvas drew: the fill colours of its points, and where one of them lies.
  const drawn = await canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    const colours = new Map<string, { x: number; y: number; count: number }>()
    for (let y = 0; y < c.height; y++)
      for (let x = 0; x < c.width; x++) {
        const i = (y * c.width + x) * 4
        // Opaque, and not the black ring of a mistake: a point's fill.
        if (d[i + 3] < 250 || d[i] + d[i + 1] + d[i + 2] < 60) continue
        const key = `${d[i]},${d[i + 1]},${d[i + 2]}`
        const seen = colours.get(key)
        // Each colour's rightmost fill pixel: a spot on the rightmost point of that class.
        if (!seen) colours.set(key, { x, y, count: 1 })
        else {
          seen.count++
          if (x > seen.x) Object.assign(seen, { x, y })
        }
      }
    // Solid colours cover many pixels; antialiased edges only a few.
    const solid = [...colours.entries()].filter(([, v]) => v.count >= 8)
    const r = c.getBoundingClientRect()
    return { colours: solid.map(([k]) => k), at: solid.map(([, v]) => ({ x: r.left + ((v.x + 0.5) * r.width) / c.width, y: r.top + ((v.y + 0.5) * r.height) / c.height })) }
  })
  // At least two of the legend's class colours are drawn as point fills.
  const legend = await projector
    .getByRole('list', { name: 'Classes' })
    .locator('.swatch:not(.mistake)')
    .evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor.replace(/^rgb\(|\)$/g, '').replace(/ /g, '')))
  expect(legend).toHaveLength(3)
  expect(legend.filter((c) => drawn.colours.includes(c)).length).toBeGreaterThan(1)
  await app.screenshot({ path: test.info().outputPath('projector.png') })

  // Hover a point: its sample (thumbnail) and classes show beside the map.
  // The rightmost point, so the card must open leftwards to stay inside the map.
  const candidates = drawn.at.filter((_, i) => legend.includes(drawn.colours[i]))
  const point = candidates.reduce((a, b) => (b.x > a.x ? b : a))
  await app.mouse.move(point.x, point.y)
  const hover = projector.getByTestId('projector-hover')
  await expect(hover).toBeVisible()
  await expect(hover.getByRole('img', { name: /^row \d+/ })).toBeVisible()
  await expect(hover).toContainText('predicted')
  const body = (await projector.locator('.projector-body').boundingBox())!
  const card = (await projector.locator('.projector-tooltip').boundingBox())!
  expect(card.x).toBeGreaterThanOrEqual(body.x)
  expect(card.x + card.width).toBeLessThanOrEqual(body.x + body.width + 1)

  // Click it: the Explain panel opens that row with its Grad-CAM heatmap.
  const row = (await hover.getByRole('img', { name: /^row \d+/ }).getAttribute('aria-label'))!.replace('row ', '')
  await app.mouse.down()
  await app.mouse.up()
  const panel = app.getByTestId('sample-explainer')
  await expect(panel).toContainText(`Row ${row}`)
  await expect(panel.getByTestId('gradcam-overlay')).toBeVisible({ timeout: 60_000 })
  await projector.screenshot({ path: test.info().outputPath('projector-hover.png') })

  // Another layer is another map (the flattened conv features).
  await projector.getByRole('combobox', { name: 'Projector layer' }).selectOption('flatten_1')
  await expect(projector.getByTestId('projector-summary')).toContainText('layer flatten_1', { timeout: 60_000 })

  // Zoom and pan keep the map drawn; reopening comes from the store.
  await canvas.hover()
  await app.mouse.wheel(0, -400)
  await projector.getByRole('button', { name: 'Close' }).click()
  await projector.getByRole('button', { name: 'Map the learned space' }).click()
  await expect(projector.getByTestId('projector-summary')).toContainText('stored', { timeout: 30_000 })
})
