// After training: why this backend, checkpoints evaluated on demand, the predictions view (all and
// mistakes, paged, image thumbnails), try-it on a typed row and a dropped image, and export.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { writeShapeImages } from '../../main/datasets/samples/shapes'
import { defaultParams } from '../../common/graph/catalog'
import type { LayerType } from '../../common/graph/types'
import { expect, test } from './fixtures'
import { importCsvUi } from './steps'

/** Calls the contract from inside the page over the host's WebSocket (the page's cookie authenticates it). */
async function rpc<T>(app: Page, method: string, input: unknown): Promise<T> {
  const res = await app.evaluate(
    ({ method, input }) =>
      new Promise<{ ok: boolean; value?: unknown; message?: string }>((resolve, reject) => {
        const ws = new WebSocket(`ws://${location.host}/ws`)
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, method, input }))
        ws.onmessage = (m) => {
          const data = JSON.parse(String(m.data)) as { id?: number; result?: { ok: boolean } }
          if (data.id === 1 && data.result) {
            ws.close()
            resolve(data.result)
          }
        }
        ws.onerror = () => reject(new Error('socket error'))
      }),
    { method, input },
  )
  if (!res.ok) throw new Error(`${method}: ${res.message}`)
  return res.value as T
}

test('evaluate a checkpoint, page through mistakes, try a typed row, export the model, see why this backend', async ({ app, dataDir }) => {
  const csv = join(dataDir, 'blobs.csv')
  const rows = ['x,y,cls']
  // Overlapping blobs: a couple of epochs leave mistakes to look at.
  for (let i = 0; i < 600; i++) {
    const k = i % 3
    rows.push(`${(k * 1.2 + Math.sin(i * 12.9898) * 1.5).toFixed(3)},${(k * -0.8 + Math.cos(i * 78.233) * 1.5).toFixed(3)},c${k}`)
  }
  writeFileSync(csv, rows.join('\n'))
  await importCsvUi(app, csv, 'blobs')

  await app.locator('[data-section="designer"]').click()
  await app.getByRole('button', { name: /AND \/ XOR/ }).click()
  await app.getByRole('combobox', { name: 'Bind dataset' }).selectOption({ label: 'blobs v1' })
  await expect(app.getByTestId('no-issues')).toBeVisible()
  await app.getByRole('textbox', { name: 'Model name' }).fill('blob mlp')
  await app.getByTestId('save-model').click()
  await expect(app.getByTestId('designer-message')).toContainText('version 1')

  await app.locator('[data-section="runs"]').click()
  await app.getByRole('combobox', { name: 'Model', exact: true }).selectOption({ label: 'blob mlp' })
  await app.getByRole('combobox', { name: 'Dataset version' }).selectOption({ label: 'blobs v1 (600 rows)' })
  await app.getByRole('spinbutton', { name: 'Learning rate' }).fill('0.02')
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill('3')
  await app.getByRole('spinbutton', { name: 'Batch size' }).fill('16')
  await app.getByTestId('train').click()
  await expect(app.getByTestId('run-state')).toHaveText('completed', { timeout: 60_000 })

  // Why this backend: the faster rungs and their loader errors, verbatim.
  await app.getByTestId('run-backend').click()
  const details = app.getByTestId('backend-details')
  await expect(details).toContainText('wasm')
  await expect(app.getByTestId('backend-device')).toContainText('WebAssembly')
  await expect(details.locator('[data-backend="tensorflow-gpu"] pre')).toContainText("Cannot find module '@tensorflow/tfjs-node-gpu'")

  // Evaluate the newest checkpoint in the worker; page through its predictions.
  await expect(app.getByTestId('checkpoint-row')).toHaveCount(3)
  await app.getByTestId('checkpoint-row').first().getByRole('button', { name: 'Evaluate' }).click()
  const evalBox = app.getByTestId('checkpoint-eval')
  await expect(evalBox).toContainText('epoch 3')
  await expect(app.getByTestId('confusion-matrix')).toContainText('c2')
  const range = app.getByTestId('predictions-range')
  await expect(range).toContainText(/^1–24 of \d+/)
  const total = Number(/of (\d+)/.exec((await range.textContent()) ?? '')![1])
  await expect(app.getByTestId('prediction-row')).toHaveCount(24)
  await app.getByRole('button', { name: 'Next →' }).click()
  await expect(range).toContainText(`25–${Math.min(48, total)} of ${total}`)
  const mistakes = Number(/, (\d+) mistakes/.exec((await evalBox.locator('h3').textContent()) ?? '')![1])
  expect(mistakes).toBeGreaterThan(0)
  await app.getByRole('radio', { name: 'Mistakes only' }).check()
  await expect(range).toContainText(`of ${mistakes}`)
  const shown = await app.getByTestId('prediction-row').count()
  expect(shown).toBe(Math.min(24, mistakes))
  await expect(app.locator('[data-testid="prediction-row"].wrong')).toHaveCount(shown)

  // Try a typed-in row: the recipe scales it like training did.
  await app.getByRole('textbox', { name: 'Value of x' }).fill('2.4')
  await app.getByRole('textbox', { name: 'Value of y' }).fill('-1.6')
  await app.getByTestId('try-predict').click()
  await expect(app.getByTestId('try-predicted')).toHaveText(/^c[012]$/)
  await app.getByRole('textbox', { name: 'Value of x' }).fill('')
  await app.getByTestId('try-predict').click()
  await expect(app.getByTestId('try-result').or(app.getByTestId('try-error'))).toBeVisible()

  // Export into a folder chosen with the browser (on the host machine).
  await app.getByRole('textbox', { name: 'Export folder' }).fill(dataDir)
  await app.getByRole('button', { name: 'Browse…' }).click()
  await expect(app.getByTestId('folder-picker-path')).toHaveText(dataDir)
  await app.getByRole('button', { name: 'Use this folder' }).click()
  const folder = await app.getByRole('textbox', { name: 'Export folder' }).inputValue()
  expect(folder.startsWith(`${dataDir}/`)).toBe(true)
  await app.getByTestId('export-model').click()
  await expect(app.getByTestId('export-result')).toContainText('model.json')
  await expect(app.getByTestId('export-result')).toContainText('weights.bin')
  for (const f of ['model.json', 'weights.bin', 'recipe.json', 'classes.json']) expect(existsSync(join(folder, f))).toBe(true)
  expect(JSON.parse(readFileSync(join(folder, 'classes.json'), 'utf8'))).toEqual(['c0', 'c1', 'c2'])
  expect(JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'))).toMatchObject({ format: 'layers-model', weightsManifest: [{ paths: ['./weights.bin'] }] })
  await app.getByTestId('export-model').click()
  await expect(app.getByTestId('export-error')).toContainText('already holds a model.json')

  // The System panel says which backend the last run used and why.
  await app.getByTestId('backend-chip').click()
  await expect(app.getByTestId('last-run-backend')).toContainText('tensorflow-gpu')
})

test('an image run: predictions with thumbnails, mistakes only, and try-it on a dropped image', async ({ app, dataDir }) => {
  const sharp = (await import('sharp')).default
  const folder = join(dataDir, 'shapes')
  await writeShapeImages(folder, 12)
  const { jobId } = await rpc<{ jobId: number }>(app, 'datasets.import', { kind: 'images', path: folder, options: { name: 'shapes', width: 16, height: 16, channels: 1 } })
  expect(jobId).toBeGreaterThan(0)
  await expect.poll(async () => (await rpc<{ name: string }[]>(app, 'datasets.list', {})).map((d) => d.name), { timeout: 30_000 }).toEqual(['shapes'])
  const layers: [LayerType, Record<string, unknown>][] = [
    ['Input', { shape: [16, 16, 1] }],
    ['Flatten', {}],
    ['Dense', { units: 3, activation: 'softmax' }],
  ]
  const graph = {
    formatVersion: 1,
    nodes: layers.map(([type, params], i) => ({ id: `n${i + 1}`, type, name: `${type.toLowerCase()}_${i + 1}`, params: { ...defaultParams(type), ...params }, position: { x: 0, y: i * 80 } })),
    edges: layers.slice(1).map((_, i) => ({ id: `e${i + 1}`, source: `n${i + 1}`, target: `n${i + 2}` })),
  }
  await rpc(app, 'models.save', { name: 'shapes dense', graph })

  await app.locator('[data-section="runs"]').click()
  await app.getByRole('combobox', { name: 'Model', exact: true }).selectOption({ label: 'shapes dense' })
  await app.getByRole('combobox', { name: 'Dataset version' }).selectOption({ label: 'shapes v1 (36 rows)' })
  await expect(app.getByRole('combobox', { name: 'Loss' })).toHaveValue('categoricalCrossentropy')
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill('2')
  await app.getByRole('spinbutton', { name: 'Batch size' }).fill('4')
  await app.getByTestId('train').click()
  await expect(app.getByTestId('run-state')).toHaveText('completed', { timeout: 60_000 })

  await app.getByTestId('checkpoint-row').first().getByRole('button', { name: 'Evaluate' }).click()
  await expect(app.getByTestId('checkpoint-eval')).toBeVisible()
  const thumbs = app.getByTestId('predictions').locator('canvas.pixel-thumb')
  await expect(thumbs.first()).toBeVisible()
  expect(await thumbs.count()).toBe(await app.getByTestId('prediction-row').count())
  // The canvas shows the stored pixels: shapes are light on black, so some pixel is bright.
  const brightest = await thumbs.first().evaluate((c: HTMLCanvasElement) => Math.max(...c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 4 === 0)))
  expect(brightest).toBeGreaterThan(100)
  await app.getByRole('radio', { name: 'Mistakes only' }).check()
  await expect(app.getByTestId('predictions-range')).toContainText(/of \d+|none/)

  // Drop an image (a big colour PNG: the worker resizes and greys it like the import did).
  const png = await sharp(readFileSync(join(folder, 'circle', 'circle_000.png'))).resize(120, 120).toColourspace('srgb').png().toBuffer()
  const dataTransfer = await app.evaluateHandle((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
    const dt = new DataTransfer()
    dt.items.add(new File([bytes], 'mystery.png', { type: 'image/png' }))
    return dt
  }, png.toString('base64'))
  await app.getByTestId('try-drop').dispatchEvent('drop', { dataTransfer })
  await expect(app.getByTestId('try-predicted')).toHaveText(/^(circle|square|triangle)$/)
  await expect(app.getByTestId('try-result').locator('.prob-bars li')).toHaveCount(3)
})
