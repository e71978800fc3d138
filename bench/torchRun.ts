// Runs a PyTorch reference script (Debian's /usr/bin/python3, which has torch) and reads the
// throughput from the JSON line it prints last.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/** Debian's Python: the one with python3-torch (a pyenv python3 earlier on PATH lacks it). */
export const PYTHON = '/usr/bin/python3'

/** One run of `script args`: the number under `field` in its last line and torch's version, or why it could not run. */
export function runTorchScript(script: string, args: string[], field: string): { perSecond: number; version: string } | { error: string } {
  if (!existsSync(PYTHON)) return { error: `${PYTHON} not found` }
  if (!existsSync(script)) return { error: `${script} not found` }
  try {
    const out = execFileSync(PYTHON, [script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    const line = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, unknown>
    const value = line[field]
    if (typeof value !== 'number') return { error: `unexpected output: ${out.slice(0, 200)}` }
    return { perSecond: value, version: typeof line.version === 'string' ? line.version : '?' }
  } catch (e) {
    const err = e as { stderr?: string; message?: string }
    const text = `${err.stderr ?? ''}${err.message ?? ''}`
    if (/No module named 'torch'/.test(text)) return { error: 'PyTorch is not installed (apt-get install -y python3-torch libopenblas0-pthread)' }
    return { error: text.trim().split('\n').slice(-3).join(' | ') }
  }
}
