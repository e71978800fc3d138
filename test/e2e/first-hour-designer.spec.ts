// The first hour, Designer: wires can be selected and deleted, a layer dropped on a wire goes into
// it, wiring a layer that already has its input offers to replace it, and undoing a layer delete
// brings its wires back in the same step.
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

async function dropLayer(app: Page, type: string, x: number, y: number): Promise<void> {
  await app.getByTestId(`palette-${type}`).dragTo(app.getByTestId('canvas'), { targetPosition: { x, y } })
}

const node = (app: Page, type: string, nth = 0) => app.locator(`.react-flow__node:has([data-layer-type="${type}"])`).nth(nth)
const nodeId = async (app: Page, type: string, nth = 0) => (await node(app, type, nth).getAttribute('data-id')) as string
const edges = (app: Page) => app.locator('.react-flow__edge')
/** The wire from one layer to another (xyflow labels each edge with its ends). */
const edge = (app: Page, from: string, to: string) => app.locator(`.react-flow__edge[aria-label="Edge from ${from} to ${to}"]`)

async function wire(app: Page, source: [string, number?], target: [string, number?]): Promise<void> {
  const from = await node(app, ...source).locator('.react-flow__handle.source').boundingBox()
  const to = await node(app, ...target).locator('.react-flow__handle.target').boundingBox()
  if (!from || !to) throw new Error('handles not found')
  await app.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
  await app.mouse.down()
  await app.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 })
  await app.mouse.up()
}

/** The screen point halfway along a wire's drawn path. */
async function midpoint(app: Page, from: string, to: string): Promise<{ x: number; y: number }> {
  return edge(app, from, to)
    .locator('path.react-flow__edge-path')
    .evaluate((p: SVGPathElement) => {
      const pt = p.getPointAtLength(p.getTotalLength() / 2)
      const m = p.getScreenCTM()!
      return { x: pt.x * m.a + pt.y * m.c + m.e, y: pt.x * m.b + pt.y * m.d + m.f }
    })
}

/** Input → Dense → Dense, wired by hand. */
async function chain(app: Page): Promise<{ input: string; d0: string; d1: string }> {
  await app.setViewportSize({ width: 1440, height: 900 })
  await app.locator('[data-section="designer"]').click()
  await dropLayer(app, 'Input', 300, 40)
  await app.getByTestId('param-shape').fill('4')
  await dropLayer(app, 'Dense', 300, 220)
  await dropLayer(app, 'Dense', 300, 400)
  await wire(app, ['Input'], ['Dense', 0])
  await wire(app, ['Dense', 0], ['Dense', 1])
  await expect(edges(app)).toHaveCount(2)
  return { input: await nodeId(app, 'Input'), d0: await nodeId(app, 'Dense', 0), d1: await nodeId(app, 'Dense', 1) }
}

test('a click selects a wire and Delete removes it; undo puts it back', async ({ app }) => {
  const { d0, d1 } = await chain(app)
  const at = await midpoint(app, d0, d1)
  await app.mouse.click(at.x, at.y)
  await expect(edge(app, d0, d1)).toHaveClass(/selected/)
  await app.screenshot({ path: test.info().outputPath('wire-selected.png') })
  await app.keyboard.press('Delete')
  await expect(edges(app)).toHaveCount(1)
  await expect(edge(app, d0, d1)).toHaveCount(0)
  await expect(app.getByTestId('layer-node')).toHaveCount(3)
  await app.keyboard.press('Control+z')
  await expect(edge(app, d0, d1)).toHaveCount(1)
})

test('deleting a layer removes its wires, and one undo brings the layer and its wires back', async ({ app }) => {
  const { input, d0, d1 } = await chain(app)
  await node(app, 'Dense', 0).click()
  await app.keyboard.press('Delete')
  await expect(app.getByTestId('layer-node')).toHaveCount(2)
  await expect(edges(app)).toHaveCount(0)
  await app.keyboard.press('Control+z')
  await expect(app.getByTestId('layer-node')).toHaveCount(3)
  await expect(edge(app, input, d0)).toHaveCount(1)
  await expect(edge(app, d0, d1)).toHaveCount(1)
  // One more undo is the wiring before it, not a half-restored delete.
  await app.keyboard.press('Control+z')
  await expect(edges(app)).toHaveCount(1)
  await expect(app.getByTestId('layer-node')).toHaveCount(3)
})

test('a layer dragged from the palette onto a wire is spliced into the chain, in one undo step', async ({ app }) => {
  const { input, d0 } = await chain(app)
  const at = await midpoint(app, input, d0)
  const canvas = (await app.getByTestId('canvas').boundingBox())!
  await dropLayer(app, 'Dropout', at.x - canvas.x, at.y - canvas.y)
  await expect(app.getByTestId('layer-node')).toHaveCount(4)
  const drop = await nodeId(app, 'Dropout')
  await expect(edge(app, input, drop)).toHaveCount(1)
  await expect(edge(app, drop, d0)).toHaveCount(1)
  await expect(edge(app, input, d0)).toHaveCount(0)
  await expect(edges(app)).toHaveCount(3)
  await expect(node(app, 'Dropout').getByTestId('layer-shape')).toHaveText('[4]')
  await app.screenshot({ path: test.info().outputPath('spliced.png') })
  await app.getByTestId('canvas').click({ position: { x: 30, y: 30 } })
  await app.keyboard.press('Control+z')
  await expect(app.getByTestId('layer-node')).toHaveCount(3)
  await expect(edge(app, input, d0)).toHaveCount(1)
})

test('an unconnected layer dragged onto a wire goes into it', async ({ app }) => {
  const { d0, d1 } = await chain(app)
  await dropLayer(app, 'BatchNormalization', 700, 220)
  const bn = await nodeId(app, 'BatchNormalization')
  const at = await midpoint(app, d0, d1)
  const box = (await node(app, 'BatchNormalization').boundingBox())!
  await app.mouse.move(box.x + box.width / 2, box.y + 8)
  await app.mouse.down()
  await app.mouse.move(at.x, at.y, { steps: 10 })
  await app.mouse.up()
  await expect(edge(app, d0, bn)).toHaveCount(1)
  await expect(edge(app, bn, d1)).toHaveCount(1)
  await expect(edges(app)).toHaveCount(3)
})

test('wiring into a layer that already has its input offers to replace it', async ({ app }) => {
  const { input, d0, d1 } = await chain(app)
  await wire(app, ['Input'], ['Dense', 1])
  const msg = app.getByTestId('designer-message')
  await expect(msg).toContainText('already takes its input from')
  await expect(edge(app, d0, d1)).toHaveCount(1)
  await app.screenshot({ path: test.info().outputPath('replace-offer.png') })
  await app.getByTestId('designer-offer').click()
  await expect(edge(app, input, d1)).toHaveCount(1)
  await expect(edge(app, d0, d1)).toHaveCount(0)
  await expect(msg).toHaveCount(0)
})
