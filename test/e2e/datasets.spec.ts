import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from './fixtures'

test('import a CSV through the UI: preview, fix a column, import with progress, see it listed', async ({ app, dataDir }) => {
  const csv = join(dataDir, 'flowers.csv')
  const rows = ['\ufeffpetal_len;petal_wid;colour;species']
  for (let i = 0; i < 120; i++) rows.push(`${(1 + (i % 3) * 2 + (i % 7) / 10).toFixed(1).replace('.', ',')};${((i % 3) + 0.5).toFixed(1).replace('.', ',')};${['red', 'blue', 'white'][i % 3]};${['setosa', 'versicolor', 'virginica'][i % 3]}`)
  writeFileSync(csv, rows.join('\r\n'))

  await app.locator('[data-section="datasets"]').click()
  await app.getByRole('textbox', { name: 'File or folder path' }).fill(csv)
  await app.getByRole('button', { name: 'Preview' }).click()
  await expect(app.getByTestId('csv-preview')).toBeVisible()
  // Sniffed: semicolons with decimal commas, BOM removed from the first header.
  await expect(app.getByRole('combobox', { name: 'Delimiter' })).toHaveValue(';')
  await expect(app.getByTestId('encoding-reason')).toContainText('BOM removed')
  await expect(app.getByTestId('preview-table')).toContainText('petal_len')
  await expect(app.locator('[data-column="petal_len"]')).toContainText('float')
  await expect(app.getByRole('combobox', { name: 'species role' })).toHaveValue('target')

  await app.getByRole('combobox', { name: 'colour role' }).selectOption('ignore')
  await app.getByRole('textbox', { name: 'Dataset name' }).fill('flowers')
  await app.getByTestId('start-import').click()
  await expect(app.getByTestId('datasets-message')).toContainText('Imported "flowers" v1: 120 rows')
  await expect(app.getByTestId('dataset-list')).toContainText('flowers')
  await expect(app.getByTestId('version-detail')).toContainText('species')
})

test('a malformed CSV gets a message naming the line, and nothing is stored on abort', async ({ app, dataDir }) => {
  const csv = join(dataDir, 'ragged.csv')
  writeFileSync(csv, 'a,b,label\n1,2,x\n3,4,y\n5,6,7,z\n8,9,x\n')
  mkdirSync(join(dataDir, 'x'), { recursive: true })
  await app.locator('[data-section="datasets"]').click()
  await app.getByRole('textbox', { name: 'File or folder path' }).fill(csv)
  await app.getByRole('button', { name: 'Preview' }).click()
  await expect(app.getByTestId('bad-rows')).toContainText('line 4')
  await app.getByRole('combobox', { name: 'On bad rows' }).selectOption('abort')
  await app.getByTestId('start-import').click()
  await expect(app.getByTestId('datasets-message')).toContainText('line 4')
  await expect(app.getByTestId('dataset-list')).toHaveCount(0)
})

test('import an image folder: classes with thumbnails, broken files listed and skipped', async ({ app, dataDir }) => {
  const sharp = (await import('sharp')).default
  const root = join(dataDir, 'pets')
  for (const [cls, color] of [['cat', '#f80'], ['dog', '#08f']] as const) {
    mkdirSync(join(root, cls), { recursive: true })
    for (let i = 0; i < 6; i++) {
      await sharp({ create: { width: 20 + i, height: 16, channels: 3, background: color } }).png().toFile(join(root, cls, `${i}.png`))
    }
  }
  writeFileSync(join(root, 'cat', 'empty.png'), '')
  writeFileSync(join(root, 'dog', 'notes.jpg'), 'this is not a picture')

  await app.locator('[data-section="datasets"]').click()
  await app.getByRole('textbox', { name: 'File or folder path' }).fill(root)
  await app.getByRole('button', { name: 'Preview' }).click()
  await expect(app.getByTestId('image-preview')).toBeVisible()
  await expect(app.locator('[data-class="cat"]')).toContainText('6 images')
  await expect(app.locator('[data-class="dog"] img').first()).toBeVisible()
  await expect(app.getByTestId('skipped-files')).toContainText('empty.png')
  await expect(app.getByTestId('skipped-files')).toContainText('notes.jpg')
  await app.getByTestId('start-import').click()
  await expect(app.getByTestId('datasets-message')).toContainText('Imported "pets" v1: 12 rows')
  await expect(app.getByTestId('version-detail')).toContainText('cat, dog')
})

test('the bundled samples import in one click each', async ({ app }) => {
  await app.locator('[data-section="datasets"]').click()
  await app.getByRole('button', { name: 'Flowers (iris-like)' }).click()
  await app.getByTestId('start-import').click()
  await expect(app.getByTestId('datasets-message')).toContainText('Imported "flowers" v1: 150 rows')
  await app.getByRole('button', { name: 'Shapes' }).click()
  await app.getByTestId('start-import').click()
  await expect(app.getByTestId('datasets-message')).toContainText('Imported "shapes" v1: 180 rows')
})

test('upload: a CSV picked in the browser and a whole image folder land on the host and preview', async ({ app, dataDir }) => {
  const sharp = (await import('sharp')).default
  await app.locator('[data-section="datasets"]').click()
  await app.getByTestId('upload-file').setInputFiles({ name: 'tiny.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n') })
  await expect(app.getByTestId('csv-preview')).toContainText('tiny.csv')
  await expect(app.getByTestId('preview-table')).toContainText('label')

  const root = join(dataDir, 'letters')
  for (const cls of ['a', 'b']) {
    mkdirSync(join(root, cls), { recursive: true })
    for (let i = 0; i < 3; i++) await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123' } }).png().toFile(join(root, cls, `${i}.png`))
  }
  await app.getByTestId('upload-folder').setInputFiles(root)
  await expect(app.getByTestId('image-preview')).toBeVisible()
  await expect(app.locator('[data-class="b"]')).toContainText('3 images')
})
