import { defineConfig } from 'vitest/config'

/** Suites that load the machine for minutes; `npm test` runs them alone (vitest.slow.config.ts). */
export const SLOW_TESTS = ['test/crash/**/*.test.ts', 'test/unit/store/nativeAbi.test.ts', 'test/unit/training/workerDeath.test.ts', 'test/unit/training/wasmTemplates.test.ts']

// Unit tests; the e2e suite runs under Playwright (playwright.config.ts).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}'],
    exclude: SLOW_TESTS,
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
  },
})
