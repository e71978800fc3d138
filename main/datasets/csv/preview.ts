import { resolveRecipeSpec } from '../recipe/resolve'
import type { CsvPreview } from '../../../common/datasets/types'
import { parseOptions, csvPreviewOptionsSchema, type CsvPreviewOptions } from '../../../common/datasets/schemas'
import type { ColumnInfo, StatsBasis } from '../../../common/datasets/types'
import { decideColumns } from './columns'
import { resolveDialect } from './dialect'
import { Finalizer } from './finalize'
import { readCsv } from './profilePass'
import { unpackProvisional } from './provisional'
import { DEFAULT_MAX_FIELD_CHARS } from './rows'
import { columnStats, unparsedNote } from './stats'

/** Rows a preview reads for types and statistics unless told otherwise. */
export const PREVIEW_SAMPLE_ROWS = 50_000
/** Rows a preview returns for display unless told otherwise. */
export const PREVIEW_ROWS = 200


/**
 * A quick look at a CSV before importing it: the sniffed dialect, column types and statistics
 * computed on the first `sampleRows` rows (50,000 by default; `basis` says whether that was the
 * whole file), the first 200 rows and the bad-row report. Reads nothing past the sample.
 */
export async function previewCsv(path: string, options: CsvPreviewOptions = {}): Promise<CsvPreview> {
  const o = parseOptions(csvPreviewOptionsSchema, options, 'CSV preview')
  const resolved = await resolveDialect(path, o)
  const maxRows = o.sampleRows ?? PREVIEW_SAMPLE_ROWS
  const overrides = o.columnTypes ?? {}
  const out = await readCsv(path, resolved, {
    maxFieldChars: o.maxFieldChars ?? DEFAULT_MAX_FIELD_CHARS,
    policy: 'skip',
    overrides,
    maxRows,
    keepRows: o.previewRows ?? PREVIEW_ROWS,
  })
  let infos: ColumnInfo[]
  let columns
  try {
    columns = decideColumns(path, out.names, out.profiles, overrides)
    const finalizer = new Finalizer(path, columns, out.profiles, out.dialect, out.chunkRows, null, () => () => {}, null)
    for (const c of out.spool.chunks()) finalizer.chunk(unpackProvisional(c.data), false)
    const accs = finalizer.accumulators()
    infos = columns.map((c) => {
      unparsedNote(c, out.profiles[c.index])
      return { ...c, stats: columnStats(c, out.profiles[c.index], accs.get(c.index)) }
    })
  } finally {
    out.spool.dispose()
  }
  const partial = out.pass.partial
  const n = out.pass.rows
  const basis: StatsBasis = partial
    ? { kind: 'sample', rows: n, note: `the first ${n.toLocaleString('en-US')} rows (the file has more; the import reads all of it)` }
    : { kind: 'whole_file', rows: n, note: `the whole file (${n.toLocaleString('en-US')} rows)` }
  let suggested: CsvPreview['suggested'] = { target: null, task: null, ignore: [] }
  try {
    const spec = resolveRecipeSpec(path, columns, out.profiles.map((p) => (p.distinct ? p.distinct.size : -1)))
    suggested = {
      target: spec.target?.column.name ?? null,
      task: spec.target?.task ?? null,
      ignore: columns.filter((c) => c.type === 'text' || c.type === 'id').map((c) => c.name),
    }
  } catch {
    // No usable default target: the person picks one.
  }
  return {
    file: path,
    bytes: resolved.fileBytes,
    dialect: out.dialect,
    header: out.names,
    columns: infos,
    rows: out.firstRows,
    basis,
    badRows: out.pass.badRows,
    blankLines: out.pass.blankLines,
    suggested,
  }
}

export type { CsvPreview } from '../../../common/datasets/types'
