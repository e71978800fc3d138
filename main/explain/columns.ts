import type { Recipe } from '../../common/datasets/recipeTypes'
import type { ColumnAttribution } from '../../common/explain/types'

/** The features one original column became: [start, start + width) of the recipe's vector. */
export interface FeatureGroup {
  column: string
  start: number
  width: number
}

/** The recipe's columns as feature ranges, in vector order (a one-hot column spans its categories). */
export function featureGroups(recipe: Recipe): FeatureGroup[] {
  const out: FeatureGroup[] = []
  let at = 0
  for (const s of recipe.steps) {
    out.push({ column: s.column, start: at, width: s.width })
    at += s.width
  }
  return out
}

/** Per-feature attributions summed back to their original columns (one-hot groups and token ids). */
export function columnAttributions(groups: readonly FeatureGroup[], attr: Float32Array): ColumnAttribution[] {
  return groups.map((g) => {
    let v = 0
    for (let i = g.start; i < g.start + g.width; i++) v += attr[i]
    return { column: g.column, value: v }
  })
}
