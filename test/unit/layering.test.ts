// Where code runs, checked: the renderer's typecheck must not see Node's types (so a renderer file
// naming Buffer or process fails to compile), and lint must refuse imports across the folders.
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '../..')
const bin = (pkg: string, file: string) => join(ROOT, 'node_modules', pkg, file)

/** Writes probe files inside the folders under test, runs fn, and removes them again. */
function withProbes<T>(files: Record<string, string>, fn: () => T): T {
  const dir = join(ROOT, '.scratch', `layering-${process.pid}`)
  const written: string[] = []
  try {
    for (const [rel, text] of Object.entries(files)) {
      const p = join(ROOT, rel)
      mkdirSync(resolve(p, '..'), { recursive: true })
      writeFileSync(p, text)
      written.push(p)
    }
    return fn()
  } finally {
    for (const p of written) rmSync(p, { force: true })
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('layering', () => {
  it("the renderer's typecheck has no Node types: Buffer and process do not compile there", { timeout: 180_000 }, () => {
    const probe = `renderer/src/__probe_${process.pid}.ts`
    // A config that compiles the renderer and common/ exactly as tsconfig.web.json does, plus the probe.
    const config = `.scratch/tsconfig.probe-${process.pid}.json`
    const out = withProbes(
      {
        [probe]: 'export const bytes = Buffer.from("x")\nexport const env = process.env\n',
        [config]: JSON.stringify({ extends: '../tsconfig.web.json', compilerOptions: { noEmit: true }, include: ['../renderer/src/**/*.ts', '../renderer/src/**/*.tsx', '../common/**/*.ts'] }),
      },
      () => spawnSync(process.execPath, [bin('typescript', 'bin/tsc'), '-p', join(ROOT, config)], { cwd: ROOT, encoding: 'utf8' }),
    )
    const text = out.stdout + out.stderr
    expect(out.status).not.toBe(0)
    expect(text).toMatch(new RegExp(`__probe_${process.pid}\\.ts\\(1,\\d+\\): error TS\\d+: Cannot find name 'Buffer'`))
    expect(text).toMatch(/Cannot find name 'process'/)
    // Nothing else fails: the probe is the only offender.
    expect(text.split('\n').filter((l) => /error TS/.test(l) && !l.includes('__probe_'))).toEqual([])
  })

  it('lint refuses Node or main/ imports in common/ and main/ imports in the renderer', { timeout: 180_000 }, () => {
    const files = {
      [`common/__probe_${process.pid}.ts`]: "import { readFileSync } from 'node:fs'\nimport { openStore } from '../main/store'\nexport const x = [readFileSync, openStore]\n",
      [`renderer/src/__probe_${process.pid}.ts`]: "import { getRun } from '../../main/store/queries/runRecords'\nexport const y = getRun\n",
    }
    const out = withProbes(files, () => spawnSync(process.execPath, [bin('eslint', 'bin/eslint.js'), '--format', 'json', ...Object.keys(files)], { cwd: ROOT, encoding: 'utf8' }))
    const results = JSON.parse(out.stdout) as { filePath: string; messages: { ruleId: string; message: string }[] }[]
    const byFile = Object.fromEntries(results.map((r) => [r.filePath.slice(ROOT.length + 1), r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)]))
    const common = byFile[`common/__probe_${process.pid}.ts`]
    expect(common.some((m) => m.includes("'node:fs'"))).toBe(true)
    expect(common.some((m) => m.includes("'../main/store'") && m.includes('common/ may import only common/'))).toBe(true)
    expect(byFile[`renderer/src/__probe_${process.pid}.ts`].some((m) => m.includes('The renderer imports only common/'))).toBe(true)
  })
})
