// Typechecks the Node side (main, preload, tests) and the web side (renderer). Where the optional
// electron package is absent, the Node side is checked against types/electron-fallback instead.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import info from './electron-info.cjs'
const { electronRuntime, root } = info

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
const nodeConfig = electronRuntime().packageDir ? 'tsconfig.node.json' : 'tsconfig.node.fallback.json'
let failed = false
for (const config of [nodeConfig, 'tsconfig.web.json', 'tsconfig.e2e.json']) {
  const r = spawnSync(process.execPath, [tsc, '-p', config, '--noEmit'], { cwd: root, stdio: 'inherit' })
  console.log(`typecheck ${config}: ${r.status === 0 ? 'ok' : 'FAILED'}`)
  failed ||= r.status !== 0
}
process.exit(failed ? 1 : 0)
