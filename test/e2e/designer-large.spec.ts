import { buildBenchGraph } from '../../bench/graphInference'
import { layoutGraph, toTfjsJson } from '../../common/graph'
import { expect, test } from './fixtures'

// Not a timed assertion (speed targets live in `npm run bench`): this checks a 300-layer graph opens
// and stays editable, and prints the frame times measured while dragging a layer across it.
test('a 300-layer graph opens, validates and can be dragged; frame times are printed', async ({ app }) => {
  const graph = layoutGraph(buildBenchGraph(300))
  const json = JSON.stringify(toTfjsJson(graph, { name: 'big' }))
  await app.locator('[data-section="designer"]').click()
  await app.getByTestId('import-json').setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(json) })
  await expect(app.getByTestId('designer-message')).toContainText('Imported 300 layers')
  await expect(app.getByTestId('no-issues')).toBeVisible()
  await app.getByRole('button', { name: 'Fit', exact: true }).click()
  await app.getByRole('button', { name: 'Zoom In' }).click()
  await app.getByRole('button', { name: 'Zoom In' }).click()

  // The layer nearest the middle of the canvas, so the drag happens on screen.
  const canvasBox = (await app.getByTestId('canvas').boundingBox())!
  const nodeId = await app.evaluate(({ cx, cy }) => {
    let best: { id: string; d: number } | null = null
    for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node')) {
      const r = el.getBoundingClientRect()
      const d = Math.hypot(r.x + r.width / 2 - cx, r.y + r.height / 2 - cy)
      if (!best || d < best.d) best = { id: el.dataset.id ?? '', d }
    }
    return best?.id ?? ''
  }, { cx: canvasBox.x + canvasBox.width / 2, cy: canvasBox.y + canvasBox.height / 2 })
  const target = app.locator(`.react-flow__node[data-id="${nodeId}"]`)
  const box = await target.boundingBox()
  if (!box) throw new Error('no node on screen')
  await app.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean }
    w.__frames = []
    w.__stop = false
    let last = performance.now()
    const tick = (t: number) => {
      w.__frames.push(t - last)
      last = t
      if (!w.__stop) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
  await app.mouse.move(box.x + 20, box.y + box.height / 2)
  await app.mouse.down()
  for (let i = 1; i <= 60; i++) await app.mouse.move(box.x + 20 + i * 4, box.y + box.height / 2 + i * 2)
  await app.mouse.up()
  const frames = await app.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean }
    w.__stop = true
    return w.__frames.slice(1)
  })
  frames.sort((a, b) => a - b)
  const pct = (p: number) => frames[Math.min(frames.length - 1, Math.floor(p * frames.length))]
  console.log(`designer drag, 300 layers: ${frames.length} frames, median ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms, max ${frames[frames.length - 1].toFixed(1)} ms, frames over 50 ms: ${frames.filter((f) => f > 50).length}`)
  // The layer moved with the mouse, and the graph is still whole.
  const after = await target.boundingBox()
  expect(after!.x - box.x).toBeGreaterThan(200)
  await expect(app.getByTestId('model-summary').locator('dd').first()).toHaveText('300')
})
