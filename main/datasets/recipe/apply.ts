import { boolValue, booleanCell, cellFormat, dateCell, isMissing, numericCell, trimCell, type CellFormatSpec } from '../../../common/datasets/typing'
import { DROP, numericFeature, writeCategorical } from './kernels'
import { vocabularyIds, writeTokens } from './tokens'
import type { CategoricalStep, FittedTarget, NumericStep, Recipe, TokensStep } from '../../../common/datasets/recipeTypes'

/** A raw row at prediction time: values by column name, as text (like the CSV) or already typed. */
export type RawRow = Readonly<Record<string, string | number | boolean | null | undefined>>

interface Lookups {
  categories: Map<string, number>[]
  /** Token ids of tokens steps (empty for others). */
  vocab: Map<string, number>[]
  fills: number[]
  classes: Map<string, number> | null
}

const cache = new WeakMap<Recipe, Lookups>()

function lookups(recipe: Recipe): Lookups {
  let l = cache.get(recipe)
  if (!l) {
    const categories = recipe.steps.map((s) => new Map(s.kind === 'categorical' ? s.categories.map((c, i) => [c, i] as const) : []))
    const vocab = recipe.steps.map((s) => (s.kind === 'tokens' ? vocabularyIds(s) : new Map<string, number>()))
    const fills = recipe.steps.map((s, k) => (s.kind === 'categorical' && s.fill !== null ? (categories[k].get(s.fill) ?? -1) : -1))
    const classes = recipe.target?.classes ? new Map(recipe.target.classes.map((c, i) => [c, i] as const)) : null
    l = { categories, vocab, fills, classes }
    cache.set(recipe, l)
  }
  return l
}

/**
 * A raw cell as the import would have stored it for a numeric column: float32-rounded, NaN when
 * missing or unreadable. Text goes through the same parsers as the CSV import.
 */
export function rawNumber(valueType: NumericStep['valueType'] | FittedTarget['valueType'], v: unknown, format: CellFormatSpec): number {
  if (v === null || v === undefined) return NaN
  if (typeof v === 'number') return Number.isFinite(v) ? Math.fround(v) : NaN
  if (typeof v === 'boolean') return v ? 1 : 0
  const t = trimCell(String(v))
  const fmt = cellFormat(format)
  if (valueType === 'date') return Math.fround(dateCell(t, fmt))
  if (valueType === 'boolean') return booleanCell(t)
  return Math.fround(numericCell(t, fmt))
}

/** A raw cell as a category: its index in the step's categories, -1 unseen, -2 missing. */
function categoryIndex(map: Map<string, number>, v: unknown): number {
  if (v === null || v === undefined) return -2
  const t = trimCell(String(v))
  if (isMissing(t)) return -2
  return map.get(t) ?? -1
}

/**
 * Turns one raw row into the feature vector training used for it (identical numbers: same parse,
 * same float32 rounding, same arithmetic as the chunk reader). Returns null when the recipe drops
 * the row (a missing value in a column set to 'drop'). Columns the recipe does not use are ignored.
 */
export function applyRecipe(recipe: Recipe, row: RawRow): Float32Array | null {
  const l = lookups(recipe)
  const out = new Float32Array(recipe.width)
  let at = 0
  for (let k = 0; k < recipe.steps.length; k++) {
    const s = recipe.steps[k]
    const v = row[s.column]
    if (s.kind === 'tokens') {
      // As the import stores text: trimmed, and a missing marker counts as no text.
      const t = v === null || v === undefined ? '' : trimCell(String(v))
      const text = isMissing(t) ? '' : t
      if (text === '' && s.missing === 'drop') return null
      writeTokens(s as TokensStep, l.vocab[k], text, out, at)
    } else if (s.kind === 'numeric') {
      const f = numericFeature(s, rawNumber(s.valueType, v, recipe))
      if (f === DROP) return null
      out[at] = f
    } else if (!writeCategorical(s as CategoricalStep, categoryIndex(l.categories[k], v), l.fills[k], out, at)) {
      return null
    }
    at += s.width
  }
  return out
}

/**
 * The training label of a raw row: the class index (classification) or the float32 value
 * (regression); null when the row has no usable target.
 */
export function encodeTarget(recipe: Recipe, row: RawRow): number | null {
  const t = recipe.target
  if (!t) return null
  const v = row[t.column]
  if (t.task === 'regression') {
    const x = rawNumber(t.valueType, v, recipe)
    return x === x ? x : null
  }
  if (v === null || v === undefined) return null
  const classes = lookups(recipe).classes as Map<string, number>
  let key = trimCell(String(v))
  if (t.valueType === 'boolean') {
    const b = typeof v === 'boolean' ? (v ? 1 : 0) : boolValue(key)
    key = b === 1 ? 'true' : b === 0 ? 'false' : key
  } else if (t.valueType === 'integer') {
    key = String(rawNumber('integer', v, recipe))
  }
  return classes.get(key) ?? null
}
