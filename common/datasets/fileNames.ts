/**
 * File names a tabular import reads: CSV/TSV/text, Parquet, JSON, JSON Lines, each optionally
 * gzip-compressed ("data.csv.gz"). Pure, so the renderer decides "table or image folder" by the
 * same rule the import reads by.
 */
export const TABULAR_FILE_NAME = /\.(csv|tsv|txt|parquet|json|jsonl|ndjson)(\.gz)?$/i

/** True when a file name is one a tabular import reads. */
export function isTabularFileName(name: string): boolean {
  return TABULAR_FILE_NAME.test(name)
}
