/**
 * Dataset import: CSV files and image folders become versioned, chunked datasets in the store.
 * This is the module's public surface; everything else is internal.
 */
export { importCsv, type CsvImportResult } from './csv/import'
export { previewCsv, type CsvPreview } from './csv/preview'
export { importImageFolder, type ImageImportResult } from './images/import'
export { previewImageFolder, type ImagePreviewResult, type ImageClassPreview } from './images/preview'
export { readChunks, compileChunkEncoder, type Batch, type ImageBatch, type TabularBatch } from './chunks/read'
export { applyRecipe, encodeTarget, type RawRow } from './recipe/apply'
export { refitRecipe } from './recipe/refit'
export type { Recipe, RecipeSpec, FittedStep, FittedTarget, TaskKind } from '../../common/datasets/recipeTypes'
export { validateAugment, NO_AUGMENT, type AugmentSettings } from '../../common/datasets/augment'
export { writeSampleDatasets, type SampleDataset } from './samples'
export { isCancelled } from './errors'
export type { ImportProgress, ProgressListener } from '../../common/datasets/progress'
export type { SplitRecord, SplitSpec } from '../../common/datasets/split'
export * from '../../common/datasets/schemas'
export type * from '../../common/datasets/types'
