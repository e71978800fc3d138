import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

/** Drags a layer from the palette onto the canvas at (x, y) relative to the canvas. */
async function dropLayer(app: Page, type: string, x: number, y: number): Promise<void> {
  await app.getByTestId(`palette-${type}`).dragTo(app.getByTestId('canvas'), { targetPosition: { x, y } })
}

/** The canvas node of the nth layer of a type (in the order they were added). */
const node = (app: Page, type: string, nth = 0) => app.locator(`.react-flow__node:has([data-layer-type="${type}"])`).nth(nth)

/** Wires source's output handle to target's input handle with the mouse, as a person would. */
async function wire(app: Page, source: [string, number?], target: [string, number?]): Promise<void> {
  const from = await node(app, ...source).locator('.react-flow__handle.source').boundingBox()
  const to = await node(app, ...target).locator('.react-flow__handle.target').boundingBox()
  if (!from || !to) throw new Error('handles not found')
  await app.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
  await app.mouse.down()
  await app.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 })
  await app.mouse.up()
}

test('drag layers, wire them, see the shape error go away when Flatten is inserted, save and reopen', async ({ app }) => {
  await app.locator('[data-section="designer"]').click()
  await expect(app.getByTestId('designer-empty')).toBeVisible()

  await dropLayer(app, 'Input', 250, 60)
  await app.getByTestId('param-shape').fill('28, 28, 1')
  await dropLayer(app, 'Conv2D', 250, 200)
  await dropLayer(app, 'Dense', 250, 340)
  await expect(app.getByTestId('layer-node')).toHaveCount(3)

  await wire(app, ['Input'], ['Conv2D'])
  await wire(app, ['Conv2D'], ['Dense'])
  await expect(app.locator('.react-flow__edge')).toHaveCount(2)
  await expect(node(app, 'Conv2D').getByTestId('layer-shape')).toHaveText('[26, 26, 32]')

  // Dense on a 3-D tensor: an error anchored on the Dense layer, with a fix.
  const e007 = app.getByTestId('issues').locator('[data-code="E007"]')
  await expect(e007).toBeVisible()
  await expect(node(app, 'Dense').locator('.layer-node')).toHaveClass(/error/)

  await e007.getByRole('button', { name: 'Insert Flatten' }).click()
  await expect(e007).toHaveCount(0)
  await expect(app.getByTestId('layer-node')).toHaveCount(4)
  await expect(node(app, 'Flatten').getByTestId('layer-shape')).toHaveText('[21632]')
  await expect(node(app, 'Dense').getByTestId('layer-shape')).toHaveText('[32]')
  // 3*3*1*32+32 + 21632*32+32 trainable parameters.
  await expect(app.getByTestId('total-trainable')).toHaveText((320 + 21632 * 32 + 32).toLocaleString('en-US'))

  // Undo brings the error back; redo removes it again.
  await app.getByTestId('canvas').click({ position: { x: 30, y: 30 } })
  await app.keyboard.press('Control+z')
  await expect(e007).toBeVisible()
  await app.keyboard.press('Control+Shift+z')
  await expect(e007).toHaveCount(0)

  await app.getByRole('textbox', { name: 'Model name' }).fill('my cnn')
  await app.getByTestId('save-model').click()
  await expect(app.getByTestId('designer-message')).toContainText('version 1')

  // A saved version survives a reload.
  await app.reload()
  await app.getByRole('combobox', { name: 'Open model' }).selectOption({ label: 'my cnn (v1)' })
  await expect(app.getByTestId('layer-node')).toHaveCount(4)
  await expect(app.getByTestId('issues')).toHaveCount(0)
  await expect(app.getByTestId('no-issues')).toBeVisible()
})

test('a connection that would make a cycle is refused', async ({ app }) => {
  await app.locator('[data-section="designer"]').click()
  await dropLayer(app, 'Input', 250, 40)
  await dropLayer(app, 'Dense', 250, 180)
  await dropLayer(app, 'Dense', 250, 320)
  await wire(app, ['Input'], ['Dense', 0])
  await wire(app, ['Dense', 0], ['Dense', 1])
  await expect(app.locator('.react-flow__edge')).toHaveCount(2)
  await wire(app, ['Dense', 1], ['Dense', 0])
  await expect(app.locator('.react-flow__edge')).toHaveCount(2)
})
