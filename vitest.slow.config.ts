import { defineConfig } from 'vitest/config'
import { SLOW_TESTS } from './vitest.config'

// The slow suites (whole-app kills, crash loops, real worker threads, the ABI compile) each load
// both cores for minutes; run one file at a time, after the unit tests, so neither starves the other.
export default defineConfig({
  test: {
    include: SLOW_TESTS,
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
  },
})
