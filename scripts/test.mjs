// `npm test`: typecheck, lint, build, unit tests (vitest; the desktop-shell and ABI tests load the
// built bundles in out/), e2e tests (Playwright), then one summary line "N passed, N failed,
// N skipped" counting unit and e2e tests together.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import info from './electron-info.cjs'

const { root } = info
const bin = (pkg, file) => join(root, 'node_modules', pkg, file)
const results = join(root, 'test-results')
rmSync(join(results, 'unit.json'), { force: true })
rmSync(join(results, 'slow.json'), { force: true })
rmSync(join(results, 'e2e.json'), { force: true })
mkdirSync(results, { recursive: true })

const steps = [
  ['typecheck', [join(root, 'scripts', 'typecheck.mjs')]],
  ['lint', [bin('eslint', 'bin/eslint.js'), '.']],
  ['build', [join(root, 'scripts', 'build.mjs')]],
  ['unit', [bin('vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(results, 'unit.json')}`]],
  // Crash loops, whole-app kills, real worker threads and the ABI compile: one file at a time.
  ['slow', [bin('vitest', 'vitest.mjs'), 'run', '--config', 'vitest.slow.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${join(results, 'slow.json')}`]],
  ['e2e', [bin('@playwright/test', 'cli.js'), 'test']],
]

const failedSteps = []
for (const [name, args] of steps) {
  const t0 = Date.now()
  console.log(`\n=== ${name} ===`)
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env })
  console.log(`=== ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
  if (r.status !== 0) failedSteps.push(name)
  // Without a build e2e cannot run; the unit tests still do (those that need out/ fail saying so).
  if (r.status !== 0 && name === 'build') steps.splice(steps.findIndex(([n]) => n === 'e2e'), 1)
}

let passed = 0
let failed = 0
let skipped = 0
// Names and first message lines of failed tests, repeated at the end because CI keeps only the tail.
const failures = []
for (const file of ['unit.json', 'slow.json'].map((f) => join(results, f))) {
  if (!existsSync(file)) continue
  const u = JSON.parse(readFileSync(file, 'utf8'))
  passed += u.numPassedTests
  failed += u.numFailedTests
  skipped += u.numPendingTests + (u.numTodoTests ?? 0)
  // A vitest step can fail with every test passing (an unhandled rejection between tests): say so.
  if (failedSteps.includes(file.endsWith('unit.json') ? 'unit' : 'slow') && u.numFailedTests === 0) {
    failures.push(`${file.endsWith('unit.json') ? 'unit' : 'slow'}: no test failed, but vitest reported errors outside the tests (see "Unhandled Errors" above its summary)`)
  }
  for (const suite of u.testResults ?? []) {
    for (const t of suite.assertionResults ?? []) {
      if (t.status !== 'failed') continue
      const why = String(t.failureMessages?.[0] ?? '').split('\n').slice(0, 3).join(' | ')
      failures.push(`${suite.name.replace(root + '/', '')} > ${t.fullName}: ${why.slice(0, 400)}`)
    }
    if (suite.status === 'failed' && !(suite.assertionResults ?? []).some((t) => t.status === 'failed')) {
      failures.push(`${suite.name.replace(root + '/', '')}: ${String(suite.message ?? '').slice(0, 400)}`)
    }
  }
}
const e2eFile = join(results, 'e2e.json')
if (existsSync(e2eFile)) {
  const report = JSON.parse(readFileSync(e2eFile, 'utf8'))
  const s = report.stats
  passed += s.expected + s.flaky
  failed += s.unexpected
  skipped += s.skipped
  const walk = (suite, path) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'unexpected') continue
        const err = t.results?.at(-1)?.error?.message ?? ''
        failures.push(`${spec.file} > ${[...path, spec.title].join(' > ')} [${t.projectName}]: ${err.split('\n').slice(0, 3).join(' | ').slice(0, 400)}`)
      }
    }
    for (const child of suite.suites ?? []) walk(child, suite.title ? [...path, suite.title] : path)
  }
  for (const suite of report.suites ?? []) walk(suite, [])
}
// eslint-disable-next-line no-control-regex -- strips terminal colours from the messages
const plain = (text) => text.replace(/\u001b\[[0-9;]*m/g, '')
if (failures.length) console.log(`\nFailed tests:\n${failures.map((f) => `  - ${plain(f)}`).join('\n')}`)
if (failedSteps.length) console.log(`\nFailed steps: ${failedSteps.join(', ')}`)
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failedSteps.length ? 1 : 0)
