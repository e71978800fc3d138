import { defineConfig } from '@playwright/test'

// The same specs run against the browser host (system Chromium) and, where its runtime is
// installed, against the Electron app; test/e2e/fixtures.ts provides the `app` page for each.
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  outputDir: 'test-results/playwright',
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [{ name: 'browser-host' }, { name: 'electron' }],
})
