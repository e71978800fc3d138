// `npm start`: builds, then opens the desktop app where Electron's runtime is installed; otherwise
// starts the browser host and says why there is no desktop window.
// Flags: --browser forces the browser host; the rest (--port, --data-dir, --token, --host) go to it.
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import info from './electron-info.cjs'
const { electronRuntime, root } = info

const args = process.argv.slice(2)
const forceBrowser = args.includes('--browser')
const passArgs = args.filter((a) => a !== '--browser')

const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
if (built.status !== 0) {
  console.error('neural-workbench: the build failed (see above).')
  process.exit(built.status ?? 1)
}

const runtime = electronRuntime()
let child
if (runtime.binary && !forceBrowser) {
  const dataDir = passArgs.find((a) => a.startsWith('--data-dir'))
  child = spawn(runtime.binary, [root, ...(dataDir ? [dataDir] : [])], { cwd: root, stdio: 'inherit' })
} else {
  console.log(
    forceBrowser
      ? 'Starting the browser host (--browser).'
      : `No desktop window: ${runtime.why}.\nStarting the browser host instead: open the URL below in Chrome, Edge or Firefox.\n` +
          '(On a machine that can download Electron, `npm install` fetches its runtime and `npm start` opens the desktop app.)',
  )
  child = spawn(process.execPath, [join(root, 'out', 'main', 'host.js'), ...passArgs], { cwd: root, stdio: 'inherit' })
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
