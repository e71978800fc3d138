import type { AugmentSettings } from './augment'
import type { Recipe, TaskKind } from './recipeTypes'
import type { SplitRecord } from './split'

/**
 * Shared shapes of the dataset module: what a CSV column is, what the import learned about it,
 * and the reports shown to the person. Plain data only, so all of it can be stored as JSON and
 * sent over the contract unchanged.
 */

/** The type a CSV column was given; the rules live in csv/typing.ts. */
export type ColumnType = 'integer' | 'float' | 'boolean' | 'categorical' | 'text' | 'date' | 'id'

/** Every column type, for validation. */
export const COLUMN_TYPES: readonly ColumnType[] = ['integer', 'float', 'boolean', 'categorical', 'text', 'date', 'id']

/** Text encodings the CSV reader understands. */
export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'

/** A line ending style. */
export type Newline = '\n' | '\r\n' | '\r'

/** How a CSV file is laid out; sniffed, and each field can be overridden. */
/** The formats a tabular import reads. */
export type TabularFormat = 'csv' | 'json' | 'jsonl' | 'parquet'

export interface CsvDialect {
  /** The file's format: CSV (with the fields below sniffed), JSON, JSON Lines or Parquet (fixed readings). */
  format: TabularFormat
  /** The file is gzip-compressed ("data.csv.gz"). */
  compression: 'gzip' | null
  encoding: CsvEncoding
  /** Why this encoding: "byte-order mark", "valid UTF-8", "not valid UTF-8 at byte N" ... */
  encodingReason: string
  /** True when the file starts with a byte-order mark (it is never part of the first header). */
  bom: boolean
  delimiter: string
  /** The decimal separator numbers use: '.' or ',' (semicolon files from many locales). */
  decimal: '.' | ','
  header: boolean
  /** Why the first row is, or is not, the header (names the cell and column that decided). */
  headerReason: string
  newline: Newline
  /** Lines skipped at the top before the table starts (a preamble). */
  skipLines: number
  /** The skipped lines themselves (text cut at 200 characters) and why each was skipped. */
  skipped: SkippedLine[]
  /** The header has one name fewer than the rows: the first column holds row names (as R's write.csv writes them) and is named column_1. */
  rowNames: boolean
  /** Lines starting with this are comments and left out ('' for none). */
  comment: string
  /** Lines left out as comments among the lines sniffed (the first 64 KiB). */
  commentLines: number
  /** Thousands separator numbers may use ('' for none; ' ' stands for any space). */
  thousands: Thousands
  /** How non-ISO dates ("03/04/2021") are read. */
  dateOrder: DateOrder
  /** Why that date order, when the file has such dates (says when the values cannot tell). */
  dateOrderReason: string | null
  /** Which of the above were guessed (sniffed) rather than given by the caller. */
  sniffed: { encoding: boolean; delimiter: boolean; decimal: boolean; header: boolean; skipLines: boolean; comment: boolean; thousands: boolean; dateOrder: boolean }
}

/** A thousands separator ('' for none). */
export type Thousands = '' | ',' | '.' | ' '
/** Day-first or month-first, for dates that are not ISO 8601. */
export type DateOrder = 'dmy' | 'mdy'

/** A line left out above the table, and why. */
export interface SkippedLine {
  line: number
  text: string
  reason: string
}

/** One bar chart of a column's values. */
export type Histogram =
  | { kind: 'numeric'; edges: number[]; counts: number[] }
  | { kind: 'categorical'; values: { value: string; count: number }[]; other: number }

/** Per-column statistics over the rows they were computed on (see `StatsBasis`). */
export interface ColumnStats {
  /** Non-missing values. */
  count: number
  missing: number
  /** Distinct non-missing values; a lower bound when `uniqueCapped`. */
  unique: number
  uniqueCapped: boolean
  /** Numeric, boolean (as 0/1) and date (as days since 1970-01-01 UTC) columns only. */
  min?: number
  max?: number
  mean?: number
  std?: number
  /** Dates only: min and max as ISO 8601 text. */
  minText?: string
  maxText?: string
  /** The most frequent values, most frequent first (empty when there are too many distinct values to count). */
  top: { value: string; count: number }[]
  histogram: Histogram | null
}

/**
 * How a column is kept in the chunks: float32 values, int32 category codes, raw UTF-8 text (a text
 * column the recipe tokenizes), or not at all (other text, id).
 */
export type ColumnStorage = 'f32' | 'i32' | 'text' | null

/** A stored column's storage kind. */
export type StoredKind = Exclude<ColumnStorage, null>

/** A column as the import understood it (what schema_json stores per column). */
export interface ColumnSchema {
  index: number
  name: string
  type: ColumnType
  /** What the rules inferred; differs from `type` when the caller overrode it. */
  inferredType: ColumnType
  /** For categorical and boolean columns: every category, most frequent first. Chunk codes index into it. */
  categories?: string[]
  /** Why the column got its type, e.g. 'line 1204 has "abc", which is not a number'. */
  note?: string
  storage: ColumnStorage
}

/** A column with its statistics, as previews show it. */
export interface ColumnInfo extends ColumnSchema {
  stats: ColumnStats
}

/** Why a CSV row was refused. */
export type BadRowReason = 'ragged' | 'unterminated_quote' | 'bad_quotes' | 'giant_field'

/** One refused row: the physical line it starts on (1-based) and why. */
export interface BadRow {
  line: number
  reason: BadRowReason
  message: string
}

/** The refused rows of a file: the first few in full and the total. */
export interface BadRowReport {
  total: number
  /** The first `BAD_ROW_LIST_LIMIT` rows. */
  rows: BadRow[]
}

/** How many bad rows a report lists one by one. */
export const BAD_ROW_LIST_LIMIT = 100

/** Which rows the statistics describe. */
export interface StatsBasis {
  kind: 'whole_file' | 'sample'
  rows: number
  /** Human wording, e.g. 'the first 50,000 rows (the file is larger)'. */
  note: string
}

/** Dataset split names; chunks store one per row. */
export type SplitName = 'train' | 'validation' | 'test'

/** Split codes as stored in chunks. */
export const SPLIT_CODES: Record<SplitName, number> = { train: 0, validation: 1, test: 2 }

/** Where a tabular version came from and how it was read (schema_json.source): the dialect, less what was sniffed. */
export type CsvSourceInfo = { file: string; bytes: number } & Omit<CsvDialect, 'sniffed' | SniffAddedFields> & Partial<Pick<CsvDialect, SniffAddedFields>>

/** Dialect fields versions imported before preamble and locale sniffing do not have. */
type SniffAddedFields = 'format' | 'compression' | 'headerReason' | 'skipLines' | 'skipped' | 'rowNames' | 'comment' | 'commentLines' | 'thousands' | 'dateOrder' | 'dateOrderReason'

/** schema_json of a tabular version. */
export interface TabularSchemaRecord {
  kind: 'tabular'
  source: CsvSourceInfo
  columns: ColumnSchema[]
  /** Rows refused (under 'skip'); an 'abort' import with bad rows never gets stored. */
  badRows: BadRowReport
  blankLines: number
  rowsPerChunk: number
}

/** A file an image import left out, and why. */
export interface SkippedFile {
  /** Path relative to the chosen folder. */
  path: string
  reason: string
}

/** schema_json of an image version. */
export interface ImageSchemaRecord {
  kind: 'image'
  source: { folder: string; labelsCsv: string | null; files: number; bytes: number }
  height: number
  width: number
  channels: 1 | 3
  fit: 'cover' | 'contain' | 'fill'
  /** Class names in label order. */
  classes: string[]
  skipped: { total: number; files: SkippedFile[] }
  rowsPerChunk: number
}

/** schema_json of any version. */
export type SchemaRecord = TabularSchemaRecord | ImageSchemaRecord

/** Stored slot of each column in a tabular chunk, -1 for columns not stored. */
export function storageSlots(columns: readonly ColumnSchema[]): Int32Array {
  const slots = new Int32Array(columns.length).fill(-1)
  let k = 0
  for (const c of columns) if (c.storage) slots[c.index] = k++
  return slots
}

/** The storage kind of each stored column, in chunk order. */
export function storageKinds(columns: readonly ColumnSchema[]): StoredKind[] {
  return columns.flatMap((c) => (c.storage ? [c.storage] : []))
}

/** stats_json of a tabular version: per-column statistics over the whole file, in column order. */
export interface TabularStatsRecord {
  basis: 'whole_file'
  rows: number
  columns: ColumnStats[]
}

/** stats_json of an image version. */
export interface ImageStatsRecord {
  classCounts: Record<string, number>
  images: number
  skipped: number
  hidden: number
}

// ---- what previews and lists return (plain data; the contract and the renderer use these types) ----

/** One version of a dataset, as lists show it. */
export interface DatasetVersionSummary {
  id: number
  version: number
  sourceName: string
  sourceHash: string
  rowCount: number
  /** Bytes of encoded chunks this version stores. */
  byteSize: number
  createdAt: number
}

/** A dataset with its versions, newest version first. */
export interface DatasetSummary {
  id: number
  name: string
  kind: 'tabular' | 'image'
  note: string
  createdAt: number
  updatedAt: number
  /** Bytes of all versions together. */
  totalBytes: number
  versions: DatasetVersionSummary[]
}

/** Everything stored about one version (JSON columns parsed), without its chunks. */
export interface DatasetVersionRecord extends DatasetVersionSummary {
  datasetId: number
  datasetName: string
  kind: 'tabular' | 'image'
  schema: SchemaRecord
  stats: unknown
  recipe: Recipe | null
  split: SplitRecord | null
  augment: AugmentSettings | null
  chunkCount: number
}

/** What previewCsv returns: how the file will be read, its columns and a first look at the rows. */
export interface CsvPreview {
  file: string
  bytes: number
  dialect: CsvDialect
  /** Column names (cleaned: blanks named, repeats suffixed). */
  header: string[]
  columns: ColumnInfo[]
  /** The first rows, as text. */
  rows: string[][]
  /** Which rows the types and statistics describe. */
  basis: StatsBasis
  /** Bad rows among the rows read (a preview never stops at one; an import may). */
  badRows: BadRowReport
  blankLines: number
  /** What the import would do by default. */
  suggested: { target: string | null; task: TaskKind | null; ignore: string[] }
}

/** One class of an image folder. */
export interface ImageClassPreview {
  name: string
  /** Files that look like images (their first bytes); decoding may still fail some at import. */
  count: number
  /** A few of its files: path relative to the folder, and the real path (for thumbnails). */
  samples: { path: string; abs: string }[]
}

/** What previewImageFolder returns. */
export interface ImagePreviewResult {
  folder: string
  mode: 'folders' | 'labels_csv'
  classes: ImageClassPreview[]
  /** Files that look like images. */
  images: number
  /** Files left out, with the reason (hidden files are only counted). */
  skipped: SkippedFile[]
  hidden: number
  /** What the preview did not check. */
  note: string
}

/** A bundled sample dataset a first launch can import and train on within a minute. */
export interface SampleDataset {
  name: string
  kind: 'csv' | 'images'
  title: string
  description: string
  /** The CSV file or image folder to import. */
  path: string
  /** CSV samples: per-column recipe choices the import form starts from (e.g. a text column as tokens). */
  columns?: Record<string, { transform?: 'tokens'; vocabSize?: number; sequenceLength?: number }>
}
