import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { expect, test } from './fixtures'
import { chooseModelAndData, importCsvUi, saveTemplateForDataset } from './steps'

const REAL = join(__dirname, '..', 'fixtures', 'csv', 'real')

/** Three 2-D blobs (classes c0, c1, c2) as records. */
function blobs(rows: number): { x: number; y: number; cls: string }[] {
  return Array.from({ length: rows }, (_, i) => {
    const k = i % 3
    return { x: Number((k * 3 + Math.sin(i) * 0.8).toFixed(3)), y: Number((k * -2 + Math.cos(i * 1.7) * 0.8).toFixed(3)), cls: `c${k}` }
  })
}

async function trainBlobs(app: import('@playwright/test').Page, label: string, model: string, option: string): Promise<void> {
  await saveTemplateForDataset(app, label, model)
  await chooseModelAndData(app, model, option)
  await app.getByRole('spinbutton', { name: 'Learning rate' }).fill('0.05')
  await app.getByRole('spinbutton', { name: 'Epochs' }).fill('5')
  await app.getByRole('spinbutton', { name: 'Batch size' }).fill('16')
  await app.getByTestId('train').click()
  await expect(app.getByTestId('run-state')).toHaveText('completed', { timeout: 60_000 })
}

test('a file with a preamble shows the skipped line with its reason, updates live, and imports with the right columns', async ({ app, dataDir }) => {
  const csv = join(dataDir, 'breast_cancer.csv')
  copyFileSync(join(REAL, 'sklearn__breast_cancer.csv'), csv)
  await app.locator('[data-section="datasets"]').click()
  await app.getByRole('textbox', { name: 'File or folder path' }).fill(csv)
  await app.getByRole('button', { name: 'Preview' }).click()
  const skipped = app.getByTestId('skipped-lines')
  await expect(skipped).toContainText('569,30,malignant,benign')
  await expect(skipped).toContainText('4 fields where the table below has 31')
  await expect(app.getByRole('spinbutton', { name: 'Skip first lines' })).toHaveValue('1')
  await expect(app.getByTestId('header-reason')).toContainText('First row is data')
  await app.screenshot({ path: join(dataDir, 'preamble-preview.png') })

  // Skipping nothing reads the summary as the header: no row fits it, and the message says so by line.
  await app.getByRole('spinbutton', { name: 'Skip first lines' }).fill('0')
  await expect(app.getByTestId('datasets-message')).toContainText('line 2: 31 fields where the header has 4')
  await app.getByRole('spinbutton', { name: 'Skip first lines' }).fill('1')
  await expect(app.getByTestId('datasets-message')).toHaveCount(0)
  await expect(skipped).toContainText('569,30,malignant,benign')

  await app.getByRole('textbox', { name: 'Dataset name' }).fill('cancer')
  await app.getByTestId('start-import').click()
  await expect(app.getByTestId('datasets-message')).toContainText('Imported "cancer"')
  await expect(app.getByTestId('datasets-message')).toContainText('569 rows')
  await app.getByTestId('dataset-list').getByRole('button', { name: /v1/ }).click()
  const columns = app.locator('.columns-summary li')
  await expect(columns).toHaveCount(31)
  await expect(columns.first()).toContainText('column_1')
  await expect(columns.first()).toContainText('float')
})

test('a Parquet file imports and trains', async ({ app, dataDir }) => {
  const rs = blobs(240)
  const path = join(dataDir, 'blobs.parquet')
  writeFileSync(
    path,
    new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'x', data: rs.map((r) => r.x), type: 'DOUBLE' },
          { name: 'y', data: rs.map((r) => r.y), type: 'DOUBLE' },
          { name: 'cls', data: rs.map((r) => r.cls), type: 'STRING' },
        ],
      }),
    ),
  )
  await importCsvUi(app, path, 'pq blobs')
  await trainBlobs(app, 'pq blobs v1', 'pq mlp', 'pq blobs v1 (240 rows)')
})

test('a JSON Lines file imports and trains', async ({ app, dataDir }) => {
  const path = join(dataDir, 'blobs.jsonl')
  writeFileSync(path, blobs(240).map((r) => JSON.stringify(r)).join('\n') + '\n')
  await importCsvUi(app, path, 'jl blobs')
  await trainBlobs(app, 'jl blobs v1', 'jl mlp', 'jl blobs v1 (240 rows)')
})
