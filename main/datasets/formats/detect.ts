import { open } from 'node:fs/promises'
import { badInput } from '../errors'
import type { TabularFormat } from '../../../common/datasets/types'

/** A tabular file's format and whether it is gzip-compressed. */
export interface SourceFormat {
  format: TabularFormat
  gzip: boolean
}

/**
 * The format of a tabular file, from its first bytes and its name: gzip by its magic bytes
 * (1f 8b) or ".gz", Parquet by its magic ("PAR1") or ".parquet", JSON Lines by ".jsonl" or
 * ".ndjson", JSON by ".json" (an array of records; a ".json" file of one record per line is JSON
 * Lines); everything else is read as CSV. A gzip-compressed Parquet file is refused (Parquet
 * compresses inside; decompress it first).
 */
export async function detectFormat(path: string): Promise<SourceFormat> {
  const head = Buffer.alloc(4)
  const fh = await open(path, 'r')
  try {
    await fh.read(head, 0, 4, 0)
  } finally {
    await fh.close()
  }
  const gzip = head[0] === 0x1f && head[1] === 0x8b
  const name = path.toLowerCase().replace(/\.gz$/, '')
  if (head.toString('latin1') === 'PAR1' || name.endsWith('.parquet')) {
    if (gzip) throw badInput(path, 'is a gzip-compressed Parquet file; Parquet compresses inside the file, so decompress it first')
    return { format: 'parquet', gzip: false }
  }
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return { format: 'jsonl', gzip }
  if (name.endsWith('.json')) return { format: 'json', gzip }
  return { format: 'csv', gzip }
}
