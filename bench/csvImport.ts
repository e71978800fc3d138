/**
 * Benchmarks `csv_import` and `csv_import_duckdb`: imports a generated 1,000,000-row, 20-column
 * mixed CSV into a fresh store through the app's bundled import worker, and compares rows/s and
 * peak memory with pandas.read_csv and with DuckDB's read_csv into a table (@duckdb/node-api, a devDependency used only here) on the same
 * file, in the same run, alternating ours / pandas / DuckDB (the machines are shared and noisy;
 * ratios hold better than absolute figures). Each side runs in its own process so its peak RSS
 * is its own.
 *
 *   npx tsx bench/csvImport.ts            # prints one JSON line
 *
 * The file is generated once (deterministic) and cached under .bench/ (gitignored).
 */
import { spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { FromImportWorker, ToImportWorker } from '../main/datasets/importProtocol'
import { ensureBuilt } from '../test/helpers/hostProcess'
import { seededRandom } from '../common/datasets/prng'
import { openStore } from '../main/store/open'
import { median, round } from './stats'

const ROWS = 1_000_000
const REPO = resolve(__dirname, '..')
const FILE = join(REPO, '.bench', 'csv_import_1m_v1.csv')
const PANDAS_SCRIPT = resolve(REPO, '..', 'shared', 'bench', 'pandas_csv_reference.py')
const PYTHON = '/usr/bin/python3'
/** The app's bundled import worker (scripts/build.mjs). */
const WORKER = join(REPO, 'out', 'main', 'importWorker.js')

/** Writes the benchmark CSV (same bytes every time): ids, ints, floats, categories, booleans, dates, text, quotes, gaps. */
async function generate(path: string): Promise<void> {
  mkdirSync(join(REPO, '.bench'), { recursive: true })
  const tmp = `${path}.partial`
  const out = createWriteStream(tmp)
  const r = seededRandom(42)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]
  const miss = () => r() < 0.02
  const colors = ['red', 'green', 'blue', 'yellow', 'black', 'white']
  const regions = ['north', 'south', 'east', 'west']
  const products = Array.from({ length: 40 }, (_, i) => `item_${i}`)
  const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta']
  const day = 86_400_000
  let buf =
    'id,age,count,score,visits,level,price,ratio,temp,weight,height,color,region,product,active,flag,created,updated,comment,label\n'
  for (let i = 0; i < ROWS; i++) {
    const w1 = pick(words)
    const w2 = pick(words)
    const x = r()
    const f = [
      i + 1,
      miss() ? '' : Math.floor(r() * 80 + 18),
      Math.floor(r() * 1000),
      miss() ? '' : Math.floor(r() * 200 - 100),
      Math.floor(r() * 50),
      Math.floor(r() * 5),
      miss() ? '' : (r() * 1000).toFixed(2),
      r().toFixed(4),
      miss() ? '' : (r() * 40 - 10).toFixed(1),
      (r() * 100 + 40).toFixed(3),
      (r() * 1e5).toExponential(3),
      miss() ? '' : pick(colors),
      pick(regions),
      pick(products),
      r() < 0.5 ? 'true' : 'false',
      miss() ? '' : r() < 0.3 ? 'TRUE' : 'FALSE',
      new Date(Date.UTC(2020, 0, 1) + Math.floor(r() * 1500) * day).toISOString().slice(0, 10),
      miss() ? '' : new Date(Date.UTC(2021, 0, 1) + Math.floor(r() * 1e8) * 1000).toISOString().slice(0, 19),
      x < 0.05 ? `"${w1}, ${w2} ""quoted"""` : x < 0.1 ? '' : `${w1} ${w2}`,
      pick(colors.slice(0, 3)),
    ]
    buf += f.join(',') + '\n'
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain')
      buf = ''
    }
  }
  out.end(buf)
  await once(out, 'finish')
  renameSync(tmp, path)
}

interface Run {
  rows: number
  seconds: number
  rowsPerSecond: number
  mbPerSecond: number
  peakMb: number
  /** The machine's 1-minute load when the run started (ours splits the read only onto a free core). */
  load1?: number
}

/**
 * The child side: one import into a fresh store through the app's own bundled import worker
 * (out/main/importWorker.js, as ImportJobs runs it, with its helper thread from the bundle too),
 * warmed as a preview warms it, timed from the start message to the done message (like pandas
 * around read_csv). The store's
 * own connection stays open meanwhile, as main's does in the app.
 */
async function child(file: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nw-bench-'))
  try {
    const dbPath = join(dir, 'bench.sqlite')
    const db = openStore(dbPath)
    const worker = new Worker(WORKER)
    // The app warms an import worker while the person previews the file (ImportJobs.warm): the
    // import starts in a worker whose code and read helper have loaded. So does this one.
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m: FromImportWorker) => (m.type === 'warm' ? resolve() : undefined))
      worker.on('error', reject)
      worker.postMessage({ type: 'warm' } satisfies ToImportWorker)
    })
    const load1 = loadavg()[0]
    const t0 = performance.now()
    const done = new Promise<FromImportWorker>((resolve, reject) => {
      worker.on('message', (m: FromImportWorker) => (m.type === 'done' || m.type === 'error' ? resolve(m) : undefined))
      worker.on('error', reject)
    })
    worker.postMessage({ type: 'start', dbPath, request: { kind: 'csv', path: file, options: {} } } satisfies ToImportWorker)
    const m = await done
    const seconds = (performance.now() - t0) / 1000
    if (m.type !== 'done') throw new Error(`import failed: ${JSON.stringify(m)}`)
    await worker.terminate()
    db.close()
    const mb = statSync(file).size / 1e6
    const rows = m.result.rowCount
    const run: Run = { rows, seconds, rowsPerSecond: rows / seconds, mbPerSecond: mb / seconds, peakMb: process.resourceUsage().maxRSS / 1024, load1 }
    process.stdout.write(JSON.stringify(run) + '\n')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The DuckDB side: read_csv into a table in a fresh in-memory database, timed around that statement. */
async function duckdbChild(file: string): Promise<void> {
  const { DuckDBInstance, version } = await import('@duckdb/node-api')
  const inst = await DuckDBInstance.create(':memory:')
  const con = await inst.connect()
  const t0 = performance.now()
  await con.run(`CREATE TABLE t AS SELECT * FROM read_csv('${file.replace(/'/g, "''")}')`)
  const seconds = (performance.now() - t0) / 1000
  const rows = Number((await con.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0])
  const mb = statSync(file).size / 1e6
  const run: Run & { version: string } = { rows, seconds, rowsPerSecond: rows / seconds, mbPerSecond: mb / seconds, peakMb: process.resourceUsage().maxRSS / 1024, version: version() }
  process.stdout.write(JSON.stringify(run) + '\n')
}

function duckdb(file: string): (Run & { version: string }) | null {
  const p = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--duckdb-child', file], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 24 })
  if (p.status !== 0) {
    process.stderr.write(`duckdb child failed: ${p.stderr.slice(-500)}\n`)
    return null
  }
  return lastJson(p.stdout) as unknown as Run & { version: string }
}

function lastJson(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split('\n').pop() ?? ''
  return JSON.parse(line) as Record<string, unknown>
}

function ours(file: string): Run {
  const p = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', file], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 24 })
  if (p.status !== 0) throw new Error(`import child failed: ${p.stderr}`)
  return lastJson(p.stdout) as unknown as Run
}

function pandas(file: string): (Run & { version: string }) | null {
  const p = spawnSync(PYTHON, [PANDAS_SCRIPT, file], { encoding: 'utf8', maxBuffer: 1 << 24 })
  if (p.status !== 0) return null
  const j = lastJson(p.stdout)
  return {
    rows: j.rows as number,
    seconds: j.seconds as number,
    rowsPerSecond: j.rows_per_s as number,
    mbPerSecond: j.mb_per_s as number,
    peakMb: j.peak_rss_mb as number,
    version: String(j.version),
  }
}



/** Runs the case and returns its two JSON records, pandas' and DuckDB's (see ../shared/bench/README.md). */
export async function benchCsvImport(): Promise<object[]> {
  if (!existsSync(FILE)) {
    process.stderr.write(`generating ${FILE} (${ROWS.toLocaleString('en-US')} rows, once)...\n`)
    await generate(FILE)
  }
  const hasPandas = spawnSync(PYTHON, ['-c', 'import pandas'], { encoding: 'utf8' }).status === 0
  // Ours runs the shipped bundle: build it when main/ changed since.
  ensureBuilt()
  type Ref = (Run & { version: string }) | null
  const pairs: { ours: Run; pandas: Ref; duck: Ref }[] = []
  for (let k = 0; k < 3; k++) {
    const o = ours(FILE)
    const p = hasPandas ? pandas(FILE) : null
    const d = duckdb(FILE)
    pairs.push({ ours: o, pandas: p, duck: d })
    const fmt = (r: Ref) => (r ? `${round(r.rowsPerSecond, 0)} rows/s, peak ${round(r.peakMb)} MB (ratio ${round(o.rowsPerSecond / r.rowsPerSecond, 3)})` : 'missing')
    process.stderr.write(`round ${k + 1} (load ${round(o.load1 ?? NaN)}): ours ${round(o.rowsPerSecond, 0)} rows/s, peak ${round(o.peakMb)} MB; pandas ${fmt(p)}; duckdb ${fmt(d)}\n`)
  }
  const oursRate = median(pairs.map((p) => p.ours.rowsPerSecond))
  const oursPeak = round(Math.max(...pairs.map((p) => p.ours.peakMb)))
  const line = (name: string, refs: Ref[], refName: string, missing: string): object => {
    const ok = refs.every((r) => r) ? (refs as (Run & { version: string })[]) : null
    return {
      case: name,
      ours: round(oursRate, 0),
      reference: ok ? round(median(ok.map((r) => r.rowsPerSecond)), 0) : null,
      unit: 'rows/s',
      ratio: ok ? round(median(pairs.map((p, i) => p.ours.rowsPerSecond / ok[i].rowsPerSecond)), 3) : null,
      better: 'higher',
      reference_name: ok ? `${refName} ${ok[0].version}` : missing,
      ours_peak_mb: oursPeak,
      reference_peak_mb: ok ? round(Math.max(...ok.map((r) => r.peakMb))) : null,
      ours_mb_per_s: round(median(pairs.map((p) => p.ours.mbPerSecond))),
      pair_ratios: ok ? pairs.map((p, i) => round(p.ours.rowsPerSecond / ok[i].rowsPerSecond, 3)) : null,
      rows: ROWS,
      file_mb: round(statSync(FILE).size / 1e6),
    }
  }
  return [
    line('csv_import', pairs.map((p) => p.pandas), 'pandas read_csv', 'pandas missing (apt-get install -y python3-pandas)'),
    line('csv_import_duckdb', pairs.map((p) => p.duck), 'duckdb read_csv into a table', 'duckdb missing (npm ci installs @duckdb/node-api)'),
  ]
}

if (require.main === module) {
  const i = process.argv.indexOf('--child')
  const j = process.argv.indexOf('--duckdb-child')
  const run =
    i >= 0 ? child(process.argv[i + 1]) : j >= 0 ? duckdbChild(process.argv[j + 1]) : benchCsvImport().then((r) => r.forEach((l) => process.stdout.write(JSON.stringify(l) + '\n')))
  run.catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`)
    process.exitCode = 1
  })
}
