// Builds main, preload and renderer with electron-vite, also where the Electron package is absent.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import info from './electron-info.cjs'
const { electronRuntime, root, targetElectronMajor } = info

const env = { ...process.env }
// electron-vite reads the Electron version to pick build targets; tell it when the package is absent.
if (!electronRuntime().packageDir) env.ELECTRON_MAJOR_VER ??= targetElectronMajor()
const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
const r = spawnSync(process.execPath, [cli, 'build', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' })
process.exit(r.status ?? 1)
