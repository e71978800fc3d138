import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCore, type Core } from '../../main/core/createCore'
import type { BackendProbe } from '../../main/system/backends'
import { inProcessReader } from './readWorkers'
import { tempDir } from './tmp'

/** A probe describing a machine with no optional backends installed. */
export const bareProbe: BackendProbe = { resolve: () => null, exists: () => false }

/** A core over a fresh temporary data folder. */
export function testCore(transport: 'electron' | 'browser' = 'browser'): Core {
  return createCore({ dataDir: tempDir(), transport, appVersion: '0.0.0-test', backendProbe: bareProbe, spawnReader: inProcessReader })
}

/** A tiny stand-in for the renderer build, for host tests that need static files. */
export function fakeRendererDir(): string {
  const dir = join(tempDir(), 'renderer')
  mkdirSync(join(dir, 'assets'), { recursive: true })
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta http-equiv="Content-Security-Policy" content="x"><title>WB</title><div id="root"></div>')
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("app")')
  return dir
}
