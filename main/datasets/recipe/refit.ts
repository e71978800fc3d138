import type { Database } from 'better-sqlite3'
import { AppError } from '../../../common/errors'
import { getChunk, getDatasetVersion } from '../../store/queries/datasets'
import { decodeChunk } from '../chunks/format'
import { CATEGORICAL_MAX } from '../../../common/datasets/typing'
import { storageKinds, storageSlots, type ColumnStats, type TabularStatsRecord } from '../../../common/datasets/types'
import { RecipeFitter, targetClasses } from './fit'
import { resolveRecipeSpec } from './resolve'
import type { Recipe, RecipeSpec } from '../../../common/datasets/recipeTypes'

/**
 * Fits a new recipe for a stored tabular version, for a different target, task or column choices,
 * without reading the CSV again: the chunks keep the raw typed values, so this is one pass over
 * them (training rows only for the fit; all rows to list an integer target's classes). The split
 * stays the one made at import. The version itself is not changed: pass the result to
 * readChunks(db, versionId, split, recipe) and keep it with whatever trains on it.
 */
export function refitRecipe(db: Database, versionId: number, spec: RecipeSpec): Recipe {
  const v = getDatasetVersion(db, versionId)
  if (!v) throw new AppError('not_found', `Dataset version ${versionId} does not exist.`)
  if (v.schema.kind !== 'tabular') throw new AppError('invalid_input', `Dataset version ${versionId} holds images; only tabular data has a recipe.`)
  const schema = v.schema
  const stats = (v.stats as TabularStatsRecord).columns as ColumnStats[]
  // As at import: -1 where there were too many distinct values to keep them (> CATEGORICAL_MAX).
  const distinct = schema.columns.map((_, i) => (stats[i] && !stats[i].uniqueCapped && stats[i].unique <= CATEGORICAL_MAX ? stats[i].unique : -1))
  const spec2 = resolveRecipeSpec(schema.source.file, schema.columns, distinct, spec)
  for (const f of spec2.features) {
    if (f.transform === 'tokens' && f.column.storage !== 'text') throw new AppError('invalid_input', `Column "${f.column.name}" was not stored as text when dataset version ${versionId} was imported: import the file again with it set to tokens.`)
  }
  const slots = storageSlots(schema.columns)
  const kinds = storageKinds(schema.columns)
  let classes: string[] | undefined
  const target = spec2.target
  if (target?.task === 'classification') {
    let values: string[] = []
    if (target.column.type === 'integer') {
      const seen = new Set<number>()
      forEachChunk(db, versionId, kinds, (cols) => {
        for (const x of cols[slots[target.column.index]]) if (x === x) seen.add(x)
      })
      values = [...seen].map(String)
    }
    classes = targetClasses(target.column, values)
  }
  const fitter = new RecipeFitter(spec2, slots, schema.source, classes, v.split?.spec.seed ?? 0)
  forEachChunk(db, versionId, kinds, (cols, split) => {
    const train = new Uint32Array(split.length)
    let n = 0
    for (let i = 0; i < split.length; i++) if (split[i] === 0) train[n++] = i
    fitter.addRows(cols, train, n)
  })
  return fitter.finish()
}

function forEachChunk(db: Database, versionId: number, kinds: ('f32' | 'i32' | 'text')[], fn: (cols: (Float32Array | Int32Array)[], split: Uint8Array) => void): void {
  for (let seq = 0; ; seq++) {
    const c = getChunk(db, versionId, seq)
    if (!c) return
    const view = decodeChunk(c.data, kinds)
    fn(view.columns, view.split)
  }
}
