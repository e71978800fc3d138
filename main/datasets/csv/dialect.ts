import { open, stat } from 'node:fs/promises'
import { badInput, notFound } from '../errors'
import type { CsvDialect, CsvEncoding, Newline } from '../types'
import { decoderFor, firstInvalidUtf8, guessEncoding } from './encoding'
import { checkDelimiter } from './rows'
import { sampleRows, sniffDecimal, sniffDelimiter, sniffHeader, sniffNewline } from './sniff'

/** Bytes looked at to sniff the dialect. */
export const SNIFF_BYTES = 64 << 10

/** The dialect fields a caller may fix instead of letting them be sniffed. */
export interface DialectOverrides {
  encoding?: CsvEncoding
  delimiter?: string
  decimal?: '.' | ','
  header?: boolean
}

/** A resolved dialect and what reading needs besides it. */
export interface ResolvedDialect {
  dialect: CsvDialect
  bomLength: number
  /** False while the file is only assumed to be UTF-8 (a later bad byte switches to Windows-1252). */
  encodingCertain: boolean
  fileBytes: number
}

/** Checks the path is a readable, non-empty file and returns its size. */
export async function fileSize(path: string): Promise<number> {
  let st
  try {
    st = await stat(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw notFound(path, code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (e as Error).message})`)
  }
  if (st.isDirectory()) throw badInput(path, 'is a folder, not a CSV file')
  if (st.size === 0) throw badInput(path, 'the file is empty')
  return st.size
}

/**
 * Works out how to read a CSV from its first 64 KiB: encoding (byte-order mark, UTF-16 zero
 * pattern, else UTF-8 falling back to Windows-1252), line ending, delimiter, decimal separator and
 * header; every field the caller gives wins over the guess.
 */
export async function resolveDialect(path: string, o: DialectOverrides): Promise<ResolvedDialect> {
  const fileBytes = await fileSize(path)
  const head = Buffer.alloc(Math.min(SNIFF_BYTES, fileBytes))
  const fh = await open(path, 'r')
  try {
    await fh.read(head, 0, head.length, 0)
  } finally {
    await fh.close()
  }
  const guess = guessEncoding(head)
  let encoding: CsvEncoding
  let reason: string
  let bomLength = 0
  let certain = true
  if ('binary' in guess) {
    if (!o.encoding) throw badInput(path, `is not a text file (byte ${guess.binary} is zero); choose a CSV file`)
    encoding = o.encoding
    reason = 'chosen'
  } else if (o.encoding) {
    encoding = o.encoding
    reason = 'chosen'
    bomLength = guess.encoding === o.encoding ? guess.bomLength : 0
  } else {
    ;({ encoding, reason, bomLength, certain } = guess)
  }
  if (encoding === 'utf-8' && !certain) {
    const bad = firstInvalidUtf8(head)
    if (bad >= 0) {
      encoding = 'windows-1252'
      reason = `not valid UTF-8 (byte ${bad}); read as Windows-1252 (Latin-1)`
      certain = true
    }
  }
  let sample = decoderFor(encoding, false).decode(head.subarray(bomLength), { stream: true })
  const complete = fileBytes <= head.length
  const newline: Newline = sniffNewline(sample)
  if (!complete) {
    const cut = sample.lastIndexOf(newline === '\r' ? '\r' : '\n')
    if (cut > 0) sample = sample.slice(0, cut + 1)
  }
  if (o.delimiter !== undefined) checkDelimiter(path, o.delimiter)
  const delimiter = o.delimiter ?? sniffDelimiter(sample, newline, complete).delimiter
  const rows = sampleRows(sample, delimiter, newline, complete).slice(0, 200)
  const decimal = o.decimal ?? sniffDecimal(rows, delimiter)
  if (decimal === ',' && delimiter === ',') throw badInput(path, 'a comma cannot be both the delimiter and the decimal separator')
  const header = o.header ?? sniffHeader(rows, decimal)
  return {
    dialect: {
      encoding,
      encodingReason: reason,
      bom: bomLength > 0,
      delimiter,
      decimal,
      header,
      newline,
      sniffed: { encoding: !o.encoding, delimiter: o.delimiter === undefined, decimal: o.decimal === undefined, header: o.header === undefined },
    },
    bomLength,
    encodingCertain: certain,
    fileBytes,
  }
}
