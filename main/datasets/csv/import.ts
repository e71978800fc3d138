import type { Database } from 'better-sqlite3'
import { basename, extname } from 'node:path'
import { findVersionsByHash } from '../../store/queries/datasets'
import { checkTargetDataset, commitVersion } from '../commit'
import { throwIfAborted } from '../errors'
import { ProgressTracker, type ProgressListener } from '../../../common/datasets/progress'
import { RecipeFitter, targetClasses } from '../recipe/fit'
import { resolveRecipeSpec, type ResolvedSpec } from '../recipe/resolve'
import type { Recipe } from '../../../common/datasets/recipeTypes'
import { csvImportOptionsSchema, parseOptions, type CsvImportOptions } from '../../../common/datasets/schemas'
import { DEFAULT_SPLIT, SplitPlan, type SplitRecord, type SplitSpec } from '../../../common/datasets/split'
import { ChunkSpool, spoolFolder } from '../spool'
import { storageSlots, type BadRowReport, type ColumnInfo, type ColumnSchema, type CsvDialect, type TabularSchemaRecord, type TabularStatsRecord } from '../../../common/datasets/types'
import { decideColumns } from './columns'
import { resolveDialect } from './dialect'
import { Finalizer, type StrataOf } from './finalize'
import type { ColumnProfile } from './profile'
import { readCsv } from './profilePass'
import { cpuSample } from '../../system/cpuLoad'
import { unpackProvisional } from './provisional'
import { DEFAULT_MAX_FIELD_CHARS } from './rows'
import { columnStats, unparsedNote } from './stats'
import { booleanCell, cellFormat, numberValue } from '../../../common/datasets/typing'

/** Share of the progress bar the read takes; finalising the chunks and writing take the rest. */
const READ_SHARE = 0.8

/** What importCsv returns. */
export interface CsvImportResult {
  datasetId: number
  versionId: number
  version: number
  name: string
  rowCount: number
  /** Bytes of encoded chunks stored. */
  byteSize: number
  badRows: BadRowReport
  blankLines: number
  dialect: CsvDialect
  columns: ColumnInfo[]
  recipe: Recipe
  split: SplitRecord
  sourceHash: string
  /** Earlier versions (any dataset) imported from exactly the same bytes. */
  sameSourceAs: { datasetId: number; datasetName: string; versionId: number; version: number }[]
  seconds: number
}

/**
 * Imports a CSV file as a new dataset, or as version N+1 of `options.datasetId`.
 *
 * One streaming read of the file (memory bounded by the chunk size, not the file): it sniffs,
 * types and profiles every column, fingerprints the bytes and keeps each row provisionally
 * encoded. Once the types are known, the provisional chunks become the stored chunks: each row
 * gets its split (stratified, seeded) and the recipe is fitted on the training rows. Chunks wait
 * in a spool (a temporary file past 16 MiB) and are written with the version in one transaction
 * at the end: a bad row under 'abort', a cancel (signal) or any failure leaves the database
 * exactly as it was.
 */
export async function importCsv(
  db: Database,
  path: string,
  options: CsvImportOptions = {},
  onProgress?: ProgressListener,
  signal?: AbortSignal,
  /** Internal tuning (tests): files from `splitFrom` bytes on are read on two threads; `textRows` reads rows from decoded text. */
  tuning: { splitFrom?: number; textRows?: boolean } = {},
): Promise<CsvImportResult> {
  const started = performance.now()
  const startedCpu = cpuSample()
  const o = parseOptions(csvImportOptionsSchema, options, 'CSV import')
  checkTargetDataset(db, o.datasetId, 'tabular')
  throwIfAborted(signal, path)
  const resolved = await resolveDialect(path, o)
  const bytes = resolved.fileBytes
  const progress = new ProgressTracker(path, bytes, onProgress)
  const overrides = o.columnTypes ?? {}

  progress.setPhase('profiling', null, 0, 0)
  const read = await readCsv(path, resolved, {
    maxFieldChars: o.maxFieldChars ?? DEFAULT_MAX_FIELD_CHARS,
    policy: o.onBadRow ?? 'abort',
    overrides,
    signal,
    onBytes: (b, rows) => progress.update(rows, b, (READ_SHARE * b) / bytes),
    spoolDir: spoolFolder(db),
    splitFrom: tuning.splitFrom,
    startedCpu,
    textRows: tuning.textRows,
    // Only columns the recipe tokenizes keep their text through the read (memory and spool stay as before otherwise).
    keepText: new Set(Object.entries(o.recipe?.columns ?? {}).flatMap(([n, c]) => (c.transform === 'tokens' ? [n] : []))),
  })
  const final = new ChunkSpool(spoolFolder(db))
  try {
    const { dialect, profiles } = read
    const rows = read.pass.rows
    const R = read.chunkRows
    const columns = decideColumns(path, read.names, profiles, overrides)
    const distinct = profiles.map((p) => (p.distinct ? p.distinct.size : -1))
    const spec = resolveRecipeSpec(path, columns, distinct, o.recipe)
    // Tokenized text is stored as text (chunks/format.ts): the vocabulary is fitted as chunks are written.
    for (const f of spec.features) if (f.transform === 'tokens') columns[f.column.index].storage = 'text'
    const splitSpec: SplitSpec = { ...DEFAULT_SPLIT, ...o.split }
    const strata = stratification(spec, columns, profiles, rows, splitSpec, cellFormat(dialect))
    const plan = new SplitPlan(strata.sizes, splitSpec)
    const target = spec.target
    const classes = target?.task === 'classification' ? targetClasses(target.column, [...(profiles[target.column.index].distinct?.keys() ?? [])]) : undefined
    const fitter = new RecipeFitter(spec, columnsSlots(columns), dialect, classes, splitSpec.seed)
    const finalizer = new Finalizer(path, columns, profiles, dialect, R, plan, strata.of, fitter)

    progress.setPhase('encoding', rows, bytes, READ_SHARE)
    let done = 0
    for (const c of read.spool.chunks()) {
      final.add(c.rows, finalizer.chunk(unpackProvisional(c.data), true) as Buffer)
      done += c.rows
      if ((c.seq & 15) === 15) {
        // Let the event loop breathe (progress events, a cancel click) between chunks.
        await new Promise<void>((r) => setImmediate(r))
        throwIfAborted(signal, path)
        progress.update(done, bytes, READ_SHARE + ((1 - READ_SHARE) * 0.8 * done) / rows)
      }
    }
    read.spool.dispose()
    throwIfAborted(signal, path)

    const recipe = fitter.finish()
    const accs = finalizer.accumulators()
    const infos: ColumnInfo[] = columns.map((c) => {
      unparsedNote(c, profiles[c.index])
      return { ...c, stats: columnStats(c, profiles[c.index], accs.get(c.index)) }
    })
    const split: SplitRecord = {
      spec: splitSpec,
      stratifiedBy: strata.by,
      counts: { train: plan.counts[0], validation: plan.counts[1], test: plan.counts[2] },
    }
    if (strata.names) {
      const perClass: Record<string, [number, number, number]> = {}
      strata.names.slice(0, 101).forEach((name, s) => {
        if (strata.sizes[s] > 0) perClass[name] = plan.perStratum[s]
      })
      split.perClass = perClass
    }
    const schema: TabularSchemaRecord = {
      kind: 'tabular',
      source: {
        file: path,
        bytes,
        format: dialect.format,
        compression: dialect.compression,
        encoding: dialect.encoding,
        encodingReason: dialect.encodingReason,
        bom: dialect.bom,
        delimiter: dialect.delimiter,
        decimal: dialect.decimal,
        header: dialect.header,
        headerReason: dialect.headerReason,
        newline: dialect.newline,
        skipLines: dialect.skipLines,
        skipped: dialect.skipped,
        rowNames: dialect.rowNames,
        comment: dialect.comment,
        commentLines: dialect.commentLines,
        thousands: dialect.thousands,
        dateOrder: dialect.dateOrder,
        dateOrderReason: dialect.dateOrderReason,
      },
      columns,
      badRows: read.pass.badRows,
      blankLines: read.pass.blankLines,
      rowsPerChunk: R,
    }
    progress.setPhase('writing', final.rows, bytes, READ_SHARE + (1 - READ_SHARE) * 0.8)
    const name = o.name ?? (basename(path, extname(path)) || basename(path))
    const sameSourceAs = findVersionsByHash(db, read.hash)
    const ids = commitVersion(db, {
      datasetId: o.datasetId,
      name,
      kind: 'tabular',
      note: o.note ?? '',
      spool: final,
      version: {
        sourceName: basename(path),
        sourceHash: read.hash,
        schema,
        stats: { basis: 'whole_file', rows, columns: infos.map((c) => c.stats) } satisfies TabularStatsRecord,
        recipe,
        split,
        augment: null,
        rowCount: final.rows,
        byteSize: final.bytes,
      },
    })
    progress.setPhase('done', final.rows, bytes, 1)
    return {
      ...ids,
      name,
      rowCount: final.rows,
      byteSize: final.bytes,
      badRows: read.pass.badRows,
      blankLines: read.pass.blankLines,
      dialect,
      columns: infos,
      recipe,
      split,
      sourceHash: read.hash,
      sameSourceAs,
      seconds: (performance.now() - started) / 1000,
    }
  } finally {
    read.spool.dispose()
    final.dispose()
  }
}

function columnsSlots(columns: readonly ColumnSchema[]): Int32Array {
  return storageSlots(columns)
}

interface Strata {
  /** Stratum sizes in pass-1 counts: index 0 holds rows without a class (missing target). */
  sizes: number[]
  names: string[] | null
  by: string | null
  /** Builds the chunk -> strata function over the stored columns. */
  of: (slots: Int32Array) => StrataOf
}

/**
 * The strata the split keeps proportional: one per target class (plus one for rows with no
 * target) when the task is classification and stratify is on, else one for all rows. Sizes come
 * from pass 1's counts, so pass 2 can assign exact, shuffled shares row by row.
 */
function stratification(spec: ResolvedSpec, columns: readonly ColumnSchema[], profiles: readonly ColumnProfile[], rows: number, split: SplitSpec, fmt: number): Strata {
  const t = spec.target
  if (!t || t.task !== 'classification' || !split.stratify) return { sizes: [rows], names: null, by: null, of: () => (_, n, out) => out.fill(0, 0, n) }
  const col = t.column
  const p = profiles[col.index]
  const d = p.distinct ?? new Map<string, number>()
  if (col.type === 'categorical') {
    const cats = columns[col.index].categories ?? []
    return {
      sizes: [p.missing, ...cats.map((c) => d.get(c) ?? 0)],
      names: ['(missing)', ...cats],
      by: col.name,
      of: (slots) => {
        const s = slots[col.index]
        return (cols, n, out) => {
          const codes = cols[s] as Int32Array
          for (let i = 0; i < n; i++) out[i] = codes[i] + 1
        }
      },
    }
  }
  // Boolean and integer classes are stored as float32 values.
  const classes = targetClasses(col, [...d.keys()])
  const index = new Map(classes.map((c, i) => [col.type === 'boolean' ? (c === 'true' ? 1 : 0) : Number(c), i + 1] as const))
  const sizes = new Array<number>(classes.length + 1).fill(0)
  sizes[0] = p.missing
  for (const [k, c] of d) {
    const v = col.type === 'boolean' ? booleanCell(k) : numberValue(k, fmt)
    sizes[index.get(Math.fround(v)) ?? index.get(v) ?? 0] += c
  }
  return {
    sizes,
    names: ['(missing)', ...classes],
    by: col.name,
    of: (slots) => {
      const s = slots[col.index]
      return (cols, n, out) => {
        const values = cols[s] as Float32Array
        // Neighbouring rows often share a class: the last lookup is reused (NaN never matches, and misses as before).
        let last = NaN
        let stratum = 0
        for (let i = 0; i < n; i++) {
          const v = values[i]
          if (v !== last) {
            last = v
            stratum = index.get(v) ?? 0
          }
          out[i] = stratum
        }
      }
    },
  }
}
