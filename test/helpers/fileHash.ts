import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

/** sha256 of a file's bytes, to prove a refused database was not written. */
export function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}
