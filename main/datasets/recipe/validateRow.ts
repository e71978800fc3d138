// Checks a typed-in row (Try it) against a fitted recipe before it is predicted: a value the
// recipe cannot read is an error naming its column, and a missing value the recipe fills is
// reported, so a prediction never silently rests on values the person did not give.
import { dateText, isMissing, trimCell } from '../../../common/datasets/typing'
import { rawNumber, type RawRow } from './apply'
import type { Recipe } from '../../../common/datasets/recipeTypes'

/** A column whose typed value cannot be used, and why. */
export interface RowFieldError {
  /** The column; '' for the row as a whole. */
  column: string
  message: string
}

/** A column left empty whose value the recipe filled in, and with what. */
export interface ImputedValue {
  column: string
  /** The value used, as a person reads it (a number, a category, an ISO date). */
  value: string
  /** How the fill was fitted: 'mean', 'median', 'mode', 'constant'; 'unknown category' or 'no text'. */
  strategy: string
}

/** What checking a row found: per-column errors (empty when it can be predicted) and the imputed values. */
export interface RowCheck {
  errors: RowFieldError[]
  imputed: ImputedValue[]
}

function missingCell(v: RawRow[string]): boolean {
  if (v === null || v === undefined) return true
  if (typeof v !== 'string') return false
  return isMissing(trimCell(v))
}

function shown(x: number, valueType: string): string {
  if (valueType === 'date') return dateText(Math.round(x))
  if (valueType === 'boolean') return x >= 0.5 ? 'true' : 'false'
  return String(Number(x.toPrecision(6)))
}

const KIND_WORD: Record<string, string> = { integer: 'a number', float: 'a number', date: 'a date (e.g. 2024-05-31)', boolean: 'true or false' }

/** Lists up to `max` categories for a message, with how many more there are. */
function someOf(categories: readonly string[], max = 8): string {
  const head = categories.slice(0, max).map((c) => `"${c}"`).join(', ')
  return categories.length > max ? `${head} and ${categories.length - max} more` : head
}

/**
 * Checks every feature column of a typed-in row against the recipe: numbers, dates and booleans
 * must parse, categories must be ones training saw, and a missing value is an error where the
 * recipe drops such rows or is reported as imputed where it fills them. A row with no value at
 * all is refused: every feature would be made up.
 */
export function checkRow(recipe: Recipe, row: RawRow): RowCheck {
  const errors: RowFieldError[] = []
  const imputed: ImputedValue[] = []
  let given = 0
  for (const s of recipe.steps) {
    const v = row[s.column]
    if (missingCell(v)) {
      if (s.missing === 'drop') {
        errors.push({ column: s.column, message: `${s.column} is required: training dropped rows without it.` })
      } else if (s.kind === 'numeric') {
        imputed.push({ column: s.column, value: shown(s.fill, s.valueType), strategy: s.missing })
      } else if (s.kind === 'categorical') {
        imputed.push(s.fill === null ? { column: s.column, value: '(unknown category)', strategy: 'unknown category' } : { column: s.column, value: s.fill, strategy: s.missing })
      } else {
        imputed.push({ column: s.column, value: '(no text)', strategy: 'no text' })
      }
      continue
    }
    given++
    if (s.kind === 'numeric') {
      if (Number.isNaN(rawNumber(s.valueType, v, recipe))) {
        errors.push({ column: s.column, message: `${s.column}: "${String(v)}" is not ${KIND_WORD[s.valueType] ?? 'a number'}.` })
      }
    } else if (s.kind === 'categorical') {
      const t = trimCell(String(v))
      if (!s.categories.includes(t)) {
        errors.push({ column: s.column, message: `${s.column}: "${t}" is not a category training saw (${someOf(s.categories)}).` })
      }
    }
  }
  if (given === 0 && recipe.steps.length > 0 && errors.length === 0) {
    errors.push({ column: '', message: 'Type at least one value: with every column empty the prediction would rest on filled-in values only.' })
  }
  return { errors, imputed }
}
