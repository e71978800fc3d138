import { z } from 'zod'
import { AppError } from '../errors'
import { augmentSchema } from './augment'
import { COLUMN_TYPES, type ColumnType } from './types'

/**
 * Runtime schemas of the options the import and preview functions take. Pure (zod only), so the
 * contract can reuse them for its requests. Each function validates its options again, so a
 * caller that skips the contract still gets a message naming the bad field.
 */

const columnType = z.enum(COLUMN_TYPES as [ColumnType, ...ColumnType[]])
const columnName = z.string().min(1).max(500)

const dialectFields = {
  encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']).optional(),
  delimiter: z.string().length(1).optional(),
  decimal: z.enum(['.', ',']).optional(),
  header: z.boolean().optional(),
  /** Lines to skip above the table (a preamble); the sniffer looks at 0 to 20. */
  skipLines: z.number().int().min(0).max(10_000).optional(),
  /** Lines starting with this are comments; '' for none. */
  comment: z.string().max(1).refine((c) => c !== '"' && c !== '\n' && c !== '\r', { message: 'the comment character cannot be a quote or a line break' }).optional(),
  thousands: z.enum(['', ',', '.', ' ']).optional(),
  dateOrder: z.enum(['dmy', 'mdy']).optional(),
  columnTypes: z.record(columnName, columnType).optional(),
  maxFieldChars: z.number().int().min(16).max(64 << 20).optional(),
}

/** A split: fractions (any positive scale; they are normalised), seed and stratification. */
export const splitSpecSchema = z
  .object({
    train: z.number().min(0).max(1).optional(),
    validation: z.number().min(0).max(1).optional(),
    test: z.number().min(0).max(1).optional(),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    stratify: z.boolean().optional(),
  })
  .strict()
  .refine((s) => s.train === undefined || s.train > 0, { message: 'the training split needs a share above 0', path: ['train'] })

/** The person's preprocessing choices. */
export const recipeSpecSchema = z
  .object({
    target: columnName.nullable().optional(),
    task: z.enum(['classification', 'regression']).optional(),
    ignore: z.array(columnName).max(10_000).optional(),
    columns: z
      .record(
        columnName,
        z
          .object({
            transform: z.enum(['standardize', 'minmax', 'none', 'onehot', 'label', 'tokens']).optional(),
            vocabSize: z.number().int().min(3).max(1_000_000).optional(),
            sequenceLength: z.number().int().min(1).max(10_000).optional(),
            missing: z.enum(['mean', 'median', 'mode', 'constant', 'drop']).optional(),
            constant: z.union([z.number().finite(), z.string().max(1000)]).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict()

/** previewCsv options. */
export const csvPreviewOptionsSchema = z
  .object({
    ...dialectFields,
    /** Rows read for types and statistics (the first N rows); the rest of the file is not read. */
    sampleRows: z.number().int().min(1).max(1_000_000).optional(),
    /** Rows returned for display. */
    previewRows: z.number().int().min(0).max(10_000).optional(),
  })
  .strict()

/** importCsv options. */
export const csvImportOptionsSchema = z
  .object({
    ...dialectFields,
    /** Name of the new dataset (default: the file name); ignored when datasetId is given. */
    name: z.string().trim().min(1).max(200).optional(),
    /** Add the import as the next version of this dataset. */
    datasetId: z.number().int().positive().optional(),
    note: z.string().max(10_000).optional(),
    onBadRow: z.enum(['abort', 'skip']).optional(),
    recipe: recipeSpecSchema.optional(),
    split: splitSpecSchema.optional(),
  })
  .strict()

/** previewImageFolder options. */
export const imagePreviewOptionsSchema = z
  .object({
    /** A CSV of path,label rows (paths relative to the folder) instead of one subfolder per class. */
    labelsCsv: z.string().min(1).optional(),
    samplesPerClass: z.number().int().min(0).max(100).optional(),
    maxPixels: z.number().int().min(1).max(1_000_000_000).optional(),
  })
  .strict()

/** importImageFolder options. */
export const imageImportOptionsSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    datasetId: z.number().int().positive().optional(),
    note: z.string().max(10_000).optional(),
    labelsCsv: z.string().min(1).optional(),
    width: z.number().int().min(1).max(1024).optional(),
    height: z.number().int().min(1).max(1024).optional(),
    channels: z.union([z.literal(1), z.literal(3)]).optional(),
    fit: z.enum(['cover', 'contain', 'fill']).optional(),
    /** Images with more pixels than this are refused from their header (default 40 megapixels). */
    maxPixels: z.number().int().min(1).max(1_000_000_000).optional(),
    split: splitSpecSchema.optional(),
    augment: augmentSchema.partial().optional(),
  })
  .strict()

/** Parsed previewCsv options. */
export type CsvPreviewOptions = z.input<typeof csvPreviewOptionsSchema>
/** Parsed importCsv options. */
export type CsvImportOptions = z.input<typeof csvImportOptionsSchema>
/** Parsed previewImageFolder options. */
export type ImagePreviewOptions = z.input<typeof imagePreviewOptionsSchema>
/** Parsed importImageFolder options. */
export type ImageImportOptions = z.input<typeof imageImportOptionsSchema>

/** Validates options, naming each bad field in an invalid_input error. */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input ?? {})
  if (r.success) return r.data
  const issues = r.error.issues.map((i) => ({ field: i.path.join('.') || '(options)', message: i.message }))
  throw new AppError('invalid_input', `Invalid ${what} options: ${issues.map((i) => `field "${i.field}": ${i.message}`).join('; ')}.`, issues)
}
