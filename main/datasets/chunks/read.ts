import type { Database } from 'better-sqlite3'
import { AppError } from '../../../common/errors'
import { getChunk, getDatasetVersion, type DatasetVersionRecord } from '../../store/queries/datasets'
import { DROP, isRowDropped, numericFeature, writeCategorical, type DropCheck } from '../recipe/kernels'
import { vocabularyIds, writeTokens } from '../recipe/tokens'
import type { CategoricalStep, NumericStep, Recipe, TokensStep } from '../../../common/datasets/recipeTypes'
import { SPLIT_CODES, storageKinds, storageSlots, type SplitName, type TabularSchemaRecord } from '../../../common/datasets/types'
import { decodeChunk, TextColumn } from './format'

/** A batch of tabular training rows: features after the recipe, and labels. */
export interface TabularBatch {
  kind: 'tabular'
  /** Row index (in the version) of each row, for tracing a prediction back to the file. */
  rowIndex: Uint32Array
  rows: number
  /** rows x width, row-major. */
  features: Float32Array
  width: number
  /** Class index (classification, Int32Array) or value (regression, Float32Array); empty without a target. */
  labels: Int32Array | Float32Array
}

/** A batch of images: raw pixels (HWC, uint8) and class indices. */
export interface ImageBatch {
  kind: 'image'
  rowIndex: Uint32Array
  rows: number
  pixels: Uint8Array
  height: number
  width: number
  channels: number
  labels: Int32Array
}

/** What readChunks yields. */
export type Batch = TabularBatch | ImageBatch

/**
 * Streams a version's rows of one split ('all' for every row), one stored chunk at a time, so
 * training never holds the whole dataset. Tabular rows come out through the version's recipe
 * (or `recipe`, a refitted one); rows the recipe drops are left out. Reads each chunk with its
 * own query, so other statements may run on the connection between batches.
 */
export function* readChunks(db: Database, versionId: number, split: SplitName | 'all' = 'train', recipe?: Recipe): Generator<Batch> {
  const v = getDatasetVersion(db, versionId)
  if (!v) throw new AppError('not_found', `Dataset version ${versionId} does not exist.`)
  const want = split === 'all' ? -1 : SPLIT_CODES[split]
  if (v.schema.kind === 'image') {
    for (let seq = 0; ; seq++) {
      const c = getChunk(db, versionId, seq)
      if (!c) return
      const view = decodeChunk(c.data)
      const keep = selectRows(view.split, want)
      const bytes = view.height * view.width * view.channels
      const pixels = new Uint8Array(keep.length * bytes)
      const labels = new Int32Array(keep.length)
      keep.forEach((r, k) => {
        pixels.set((view.pixels as Uint8Array).subarray(r * bytes, (r + 1) * bytes), k * bytes)
        labels[k] = (view.labels as Int32Array)[r]
      })
      if (keep.length > 0) {
        yield { kind: 'image', rowIndex: keep.map((r) => r + c.rowStart), rows: keep.length, pixels, labels, height: view.height, width: view.width, channels: view.channels }
      }
    }
  }
  yield* readTabular(db, v, v.schema, want, recipe ?? v.recipe)
}

function selectRows(split: Uint8Array, want: number): Uint32Array {
  if (want < 0) return Uint32Array.from(split.keys())
  let n = 0
  for (const s of split) if (s === want) n++
  const out = new Uint32Array(n)
  let k = 0
  for (let i = 0; i < split.length; i++) if (split[i] === want) out[k++] = i
  return out
}

function* readTabular(db: Database, v: DatasetVersionRecord, schema: TabularSchemaRecord, want: number, recipe: Recipe | null): Generator<TabularBatch> {
  if (!recipe) throw new AppError('invalid_input', `Dataset version ${v.id} has no preprocessing recipe.`)
  const encoder = compileChunkEncoder(schema, recipe)
  const kinds = storageKinds(schema.columns)
  for (let seq = 0; ; seq++) {
    const c = getChunk(db, v.id, seq)
    if (!c) return
    const view = decodeChunk(c.data, kinds)
    const batch = encoder(view.columns, view.split, want, c.rowStart)
    if (batch.rows > 0) yield batch
  }
}

/**
 * Compiles a recipe against a schema into a function from chunk columns to a TabularBatch. The
 * per-value work is the kernels applyRecipe uses; only the lookups differ (category codes
 * instead of text), so the numbers are identical.
 */
export function compileChunkEncoder(
  schema: TabularSchemaRecord,
  recipe: Recipe,
): (cols: readonly (Float32Array | Int32Array)[], split: Uint8Array, want: number, rowStart: number) => TabularBatch {
  const slots = storageSlots(schema.columns)
  const slotOf = (source: number, name: string): number => {
    const s = slots[source]
    if (s === undefined || s < 0) throw new AppError('invalid_input', `The recipe uses column "${name}", which this dataset version does not store.`)
    return s
  }
  const steps = recipe.steps.map((s) => {
    const slot = slotOf(s.source, s.column)
    if (s.kind === 'tokens') {
      if (schema.columns[s.source].storage !== 'text') throw new AppError('invalid_input', `The recipe tokenizes column "${s.column}", whose text this dataset version does not store: import the file again with "${s.column}" set to tokens.`)
      return { s, slot, codes: null as Int32Array | null, fill: -1, vocab: vocabularyIds(s) }
    }
    if (s.kind === 'numeric') return { s, slot, codes: null as Int32Array | null, fill: -1, vocab: null }
    const idx = new Map(s.categories.map((c, i) => [c, i] as const))
    const all = schema.columns[s.source].categories ?? []
    const codes = Int32Array.from(all, (c) => idx.get(c) ?? -1)
    return { s, slot, codes, fill: s.fill === null ? -1 : (idx.get(s.fill) ?? -1), vocab: null }
  })
  const t = recipe.target
  const targetSlot = t ? slotOf(t.source, t.column) : -1
  let classOfCode: Int32Array | null = null
  let classOfValue: Map<number, number> | null = null
  if (t?.task === 'classification') {
    const classes = new Map((t.classes ?? []).map((c, i) => [c, i] as const))
    if (t.valueType === 'categorical') classOfCode = Int32Array.from(schema.columns[t.source].categories ?? [], (c) => classes.get(c) ?? -1)
    else classOfValue = new Map((t.classes ?? []).map((c, i) => [t.valueType === 'boolean' ? (c === 'true' ? 1 : 0) : Number(c), i] as const))
  }
  const drop: DropCheck = {
    target: t ? { slot: targetSlot, categorical: t.valueType === 'categorical' } : null,
    columns: steps.filter((x) => x.s.missing === 'drop').map((x) => ({ slot: x.slot, categorical: x.s.kind !== 'numeric' })),
  }
  const width = recipe.width
  return (cols, split, want, rowStart) => {
    const n = split.length
    const features = new Float32Array(n * width)
    const rowIndex = new Uint32Array(n)
    const regression = t?.task === 'regression'
    const labels = t ? (regression ? new Float32Array(n) : new Int32Array(n)) : new Int32Array(0)
    let k = 0
    rows: for (let i = 0; i < n; i++) {
      if (want >= 0 && split[i] !== want) continue
      if (isRowDropped(drop, cols, i)) continue
      let label = 0
      if (t) {
        const v = cols[targetSlot][i]
        if (regression) label = v
        else {
          label = classOfCode ? classOfCode[v] : (classOfValue?.get(v) ?? -1)
          if (label < 0) continue
        }
      }
      let at = k * width
      for (const x of steps) {
        const v = cols[x.slot][i]
        if (x.vocab) {
          writeTokens(x.s as TokensStep, x.vocab, (cols[x.slot] as TextColumn).texts[i], features, at)
        } else if (x.codes === null) {
          const f = numericFeature(x.s as NumericStep, v)
          if (f === DROP) continue rows
          features[at] = f
        } else {
          const idx = v < 0 ? -2 : x.codes[v]
          if (!writeCategorical(x.s as CategoricalStep, idx, x.fill, features, at)) continue rows
        }
        at += x.s.width
      }
      if (t) labels[k] = label
      rowIndex[k] = rowStart + i
      k++
    }
    return {
      kind: 'tabular',
      rowIndex: rowIndex.slice(0, k),
      rows: k,
      features: features.slice(0, k * width),
      width,
      labels: t ? labels.slice(0, k) : labels,
    }
  }
}
