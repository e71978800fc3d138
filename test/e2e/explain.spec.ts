// Explain a prediction: train the Digits CNN (MNIST template) on the Shapes sample, open a mistake
// (or any sample when the model makes none) from the predictions, and see its Grad-CAM heatmap;
// then the grid view with a heatmap over every tile.
import { expect, test } from './fixtures'
import { trainShapesCnn } from './steps'

test('train the MNIST CNN on shapes, open a sample from the predictions, see its Grad-CAM heatmap', async ({ app }) => {
  await trainShapesCnn(app, 2)

  // Prefer a mistake.
  await app.getByRole('radio', { name: 'Mistakes only' }).check()
  await expect(app.getByTestId('predictions-range')).toBeVisible()
  if ((await app.getByTestId('prediction-row').count()) === 0) await app.getByRole('radio', { name: 'All' }).check()
  const tile = app.getByTestId('prediction-row').first()
  await expect(tile).toBeVisible()
  await tile.getByRole('button', { name: /^Explain row/ }).click()

  const panel = app.getByTestId('sample-explainer')
  await expect(panel.getByTestId('gradcam-overlay')).toBeVisible({ timeout: 60_000 })
  // The layer picker lists the CNN's conv feature map; the top-k lists the three shapes.
  await expect(panel.getByRole('combobox', { name: 'Grad-CAM layer' })).toContainText('Conv2D')
  await expect(panel.getByTestId('top-k').locator('li')).toHaveCount(3)
  // The heatmap canvas holds colour: its hottest pixel is red (the map is scaled to a peak of 1).
  const hottest = await panel.getByRole('img', { name: 'Grad-CAM heatmap' }).evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    let best = 0
    for (let i = 0; i < d.length; i += 4) best = Math.max(best, d[i] - d[i + 2])
    return best
  })
  expect(hottest).toBeGreaterThan(100)
  // The opacity slider fades the heatmap.
  await panel.getByRole('slider', { name: 'Heatmap opacity' }).fill('0.2')
  await expect(panel.getByRole('img', { name: 'Grad-CAM heatmap' })).toHaveCSS('opacity', '0.2')
  await app.screenshot({ path: test.info().outputPath('explain-gradcam.png') })

  // Explaining another class from the top-k asks again; reopening the first answer comes from the store.
  const explained = (await panel.getByTestId('explained-class').textContent())!
  await panel.getByTestId('top-k').getByRole('button', { disabled: false }).first().click()
  await expect(panel.getByTestId('explained-class')).not.toHaveText(explained, { timeout: 60_000 })
  await tile.getByRole('button', { name: /^Explain row/ }).click()
  await expect(panel.getByTestId('explained-class')).toHaveText(explained, { timeout: 60_000 })
  await expect(panel).toContainText('stored')

  // The grid view: a heatmap over every tile of the page.
  await app.getByRole('checkbox', { name: 'Grad-CAM on every tile' }).check()
  const tiles = await app.getByTestId('prediction-row').count()
  await expect(app.getByTestId('prediction-grid').getByTestId('gradcam-overlay')).toHaveCount(tiles, { timeout: 60_000 })
  await app.getByTestId('prediction-grid').screenshot({ path: test.info().outputPath('explain-grid.png') })
})
