// The renderer's one error path, end to end: a failure no page shows in place (here, the runs list
// refused because a stored run config is damaged) is shown to the person by the error reporter,
// with its code and the field it names, until dismissed.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { expect, test } from './fixtures'

test('a damaged run config refuses the runs list, and the error reporter says which row, column and field', async ({ app, dataDir }) => {
  await expect(app.locator('[data-section="runs"]')).toBeVisible()
  // The host keeps the file open in WAL mode, so a second connection may write: damage one run's config by hand.
  const db = new Database(join(dataDir, 'workbench.sqlite'))
  let runId: number
  try {
    db.pragma('busy_timeout = 5000')
    runId = Number(
      db
        .prepare(`INSERT INTO runs (name, state, config_json, tags_json, note, created_at, backend) VALUES ('hand-edited', 'completed', ?, '[]', '', 1, 'cpu')`)
        .run(JSON.stringify({ optimizer: 'adam', learningRate: 'fast' })).lastInsertRowid,
    )
  } finally {
    db.close()
  }
  await app.reload()
  const report = app.getByRole('region', { name: 'Errors' }).getByRole('alert')
  await expect(report).toHaveCount(1)
  await expect(report).toContainText('Loading runs failed:')
  await expect(report).toContainText(`runs row ${runId}, column config_json`)
  await expect(report).toContainText('(db_corrupt, field "learningRate")')
  await app.screenshot({ path: test.info().outputPath('error-reporter.png') })
  await report.getByRole('button', { name: 'Dismiss: Loading runs failed' }).click()
  await expect(app.getByRole('region', { name: 'Errors' })).toHaveCount(0)
})
