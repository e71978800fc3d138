import { test as base, _electron, chromium, type Page } from '@playwright/test'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { electronRuntime, root } from '../../scripts/electron-info.cjs'
import { startHost } from '../helpers/hostProcess'

/** The system Chromium Playwright drives (Playwright's own browser download is unreachable here). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

// Flags for a closed network: without the background-networking ones Chromium keeps dialing out.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** Stops a host process and waits until it has exited, so its files can be removed. */
export async function stopHost(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  proc.kill('SIGTERM')
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/** Starts the built browser host on a free port over dataDir and resolves with its URL (token included). */
export async function startHostProcess(dataDir: string): Promise<{ url: string; proc: ChildProcess }> {
  // In Playwright's process group, so an interrupted test run takes the host with it.
  const { url, proc } = await startHost(dataDir, { detached: false, timeoutMs: 20_000 })
  return { url, proc }
}

interface AppFixtures {
  /** A fresh data folder for this test. */
  dataDir: string
  /** The workbench page: the browser host in Chromium, or the Electron window. */
  app: Page
  /** The browser host's URL with its token (browser-host project only). */
  hostUrl: string
}

/** Playwright's test with the `app` fixture. */
export const test = base.extend<AppFixtures>({
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'nw-e2e-'))
    await use(dir)
    // Retries: a host that was just stopped may still be finishing a write in this folder.
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
  },
  hostUrl: async ({ dataDir }, use, testInfo) => {
    test.skip(testInfo.project.name !== 'browser-host', 'browser host only')
    const { url, proc } = await startHostProcess(dataDir)
    await use(url)
    await stopHost(proc)
  },
  app: async ({ dataDir }, use, testInfo) => {
    if (testInfo.project.name === 'electron') {
      const runtime = electronRuntime()
      test.skip(!runtime.binary, `Electron runtime not installed: ${runtime.why}`)
      const electronApp = await _electron.launch({ executablePath: runtime.binary, args: [root, `--data-dir=${dataDir}`] })
      await use(await electronApp.firstWindow())
      await electronApp.close()
      return
    }
    if (!existsSync(CHROMIUM_PATH)) throw new Error(`No Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium, or set CHROMIUM_PATH`)
    const { url, proc } = await startHostProcess(dataDir)
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(url)
    await use(page)
    await browser.close()
    await stopHost(proc)
    if (errors.length) throw new Error(`The page logged errors:\n${errors.join('\n')}`)
  },
})

export { CHROMIUM_ARGS }
export const expect = test.expect
