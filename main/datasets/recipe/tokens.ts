import type { TokensStep } from '../../../common/datasets/recipeTypes'

/**
 * The text tokenizer shared by the recipe fit, the chunk reader and applyRecipe, so training and
 * prediction turn a text into the same ids. Ids: 0 padding, 1 out of vocabulary, 2.. the
 * vocabulary (most frequent training tokens first).
 */

/** Id of padding (after the last token). */
export const PAD_ID = 0
/** Id of a token outside the vocabulary. */
export const OOV_ID = 1
/** Default vocabulary size (ids, padding and out-of-vocabulary included). */
export const DEFAULT_VOCAB_SIZE = 10_000
/** Default tokens per sample. */
export const DEFAULT_SEQUENCE_LENGTH = 200

// Runs of letters and digits in any script; everything else separates tokens.
const TOKEN = /[\p{L}\p{N}]+/gu

/** Lower-cased tokens of a text: runs of Unicode letters and digits. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? []
}

/** Counts the tokens of one text into `counts`. */
export function countTokens(text: string, counts: Map<string, number>): void {
  for (const t of tokenize(text)) counts.set(t, (counts.get(t) ?? 0) + 1)
}

/** The vocabulary from token counts: the (vocabSize - 2) most frequent, ties alphabetically (code points). */
export function chooseVocabulary(counts: ReadonlyMap<string, number>, vocabSize: number): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, Math.max(0, vocabSize - 2))
    .map(([t]) => t)
}

/** Token -> id lookup of a fitted step (ids from 2). */
export function vocabularyIds(step: TokensStep): Map<string, number> {
  return new Map(step.vocabulary.map((t, i) => [t, i + 2] as const))
}

/** Writes a text's ids at out[at..at+sequenceLength): truncated after, padded after with 0. */
export function writeTokens(step: TokensStep, ids: ReadonlyMap<string, number>, text: string, out: Float32Array, at: number): void {
  const tokens = tokenize(text)
  const n = Math.min(tokens.length, step.sequenceLength)
  for (let i = 0; i < n; i++) out[at + i] = ids.get(tokens[i]) ?? OOV_ID
  out.fill(PAD_ID, at + n, at + step.sequenceLength)
}
