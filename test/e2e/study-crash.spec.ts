import { chromium } from '@playwright/test'
import { join } from 'node:path'
import { CHROMIUM_ARGS, CHROMIUM_PATH, expect, startHostProcess, stopHost, test } from './fixtures'
import { rpc } from './rpc'
import { chooseModelAndData, expectStudyStatus, importCsvUi, saveTemplateForDataset, writeBlobsCsv } from './steps'

test('a study survives a kill of the app mid-trial: the trial resumes its run, pending trials run, none twice', async ({ dataDir }, testInfo) => {
  test.skip(testInfo.project.name !== 'browser-host', 'browser host only')
  test.setTimeout(300_000)
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  let host = await startHostProcess(dataDir)
  try {
    let app = await browser.newPage()
    await app.goto(host.url)
    const csv = join(dataDir, 'blobs.csv')
    writeBlobsCsv(csv, 600)
    await importCsvUi(app, csv, 'blobs')
    await saveTemplateForDataset(app, 'blobs v1', 'blob mlp')
    await chooseModelAndData(app, 'blob mlp', 'blobs v1 (600 rows)')
    await app.getByRole('spinbutton', { name: 'Epochs' }).fill('6')
    await app.getByRole('spinbutton', { name: 'Batch size' }).fill('4')
    // One trial at a time (the System panel's setting), so exactly one is mid-trial at the kill.
    await app.getByTestId('backend-chip').click()
    await app.getByRole('dialog', { name: 'System' }).getByLabel('Study trials at once').selectOption('1')
    await app.keyboard.press('Escape')
    await app.locator('[data-section="compare"]').click()
    const form = app.getByTestId('new-study')
    await form.getByRole('textbox', { name: 'Values 1' }).fill('0.05, 0.01, 0.005')
    await app.getByTestId('start-study').click()
    await expectStudyStatus(app, '1 running, 2 pending')
    // Let the first trial train an epoch or two, then kill the app outright (no shutdown).
    const first = await rpc<{ trials: { runId: number | null }[] }>(app, 'studies.get', { studyId: 1 })
    const runId = first.trials[0].runId!
    await expect.poll(async () => (await rpc<{ epochsDone: number }>(app, 'runs.get', { runId })).epochsDone, { timeout: 60_000 }).toBeGreaterThan(0)
    host.proc.kill('SIGKILL')
    await new Promise((r) => host.proc.once('exit', r))
    await app.close()

    host = await startHostProcess(dataDir)
    app = await browser.newPage()
    await app.goto(host.url)
    await app.locator('[data-section="compare"]').click()
    const rows = app.getByTestId('trials-table').getByTestId('trial-row')
    await expect(rows.locator('.state-completed')).toHaveCount(3, { timeout: 240_000 })
    const study = await rpc<{ trials: { runId: number | null; state: string }[] }>(app, 'studies.get', { studyId: 1 })
    // The interrupted trial went on in its own run; three trials, three runs.
    expect(study.trials[0].runId).toBe(runId)
    expect(new Set(study.trials.map((t) => t.runId)).size).toBe(3)
    await expect(app.getByTestId('runs-table').locator('tbody tr[data-run-id]')).toHaveCount(3)
    await app.close()
  } finally {
    await browser.close()
    await stopHost(host.proc)
  }
})
