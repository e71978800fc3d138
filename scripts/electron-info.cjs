// Where Electron's runtime is (or why it is not), shared by the start, build and typecheck scripts
// and the e2e fixtures. CommonJS so that both the .mjs scripts and Playwright's TS loader can use it.
const { existsSync, readFileSync } = require('node:fs')
const { createRequire } = require('node:module')
const { dirname, join } = require('node:path')

const root = join(__dirname, '..')
const rootRequire = createRequire(join(root, 'package.json'))

/** The Electron major version the project targets, from package.json (used when the package is absent). */
function targetElectronMajor() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const range = (pkg.optionalDependencies && pkg.optionalDependencies.electron) || '39'
  return range.replace(/^[^0-9]*/, '').split('.')[0]
}

/** { packageDir, binary } when the electron package and its runtime binary are installed, else { why }. */
function electronRuntime() {
  let packageJson
  try {
    packageJson = rootRequire.resolve('electron/package.json')
  } catch {
    return {
      why: "the optional 'electron' package is not installed (its install step downloads the Electron runtime, which this machine could not reach)",
    }
  }
  const packageDir = dirname(packageJson)
  const pathFile = join(packageDir, 'path.txt')
  if (!existsSync(pathFile)) return { packageDir, why: 'the Electron runtime binary was never downloaded (no path.txt)' }
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(binary)) return { packageDir, why: `the Electron runtime binary is missing (${binary})` }
  return { packageDir, binary }
}

module.exports = { root, targetElectronMajor, electronRuntime }
