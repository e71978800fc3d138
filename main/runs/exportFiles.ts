import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { ExportPiece } from '../../common/contract'
import { AppError } from '../../common/errors'

/** Bytes per piece an export is handed to the renderer in (one bridge message each). */
export const EXPORT_PIECE_BYTES = 1 << 20

/**
 * Reads the piece of an export file that starts at `offset`, cut after its last line end so no
 * UTF-8 sequence is split; the renderer asks for pieces until `done` and builds the download.
 */
export function readExportPiece(folder: string, fileName: string, offset: number, pieceBytes = EXPORT_PIECE_BYTES): ExportPiece {
  // The contract admits only runs-….csv names, so the path cannot leave the folder.
  const path = join(folder, fileName)
  let size: number
  try {
    size = statSync(path).size
  } catch {
    throw new AppError('not_found', `The export ${fileName} does not exist (any more) in ${folder}.`)
  }
  if (offset > size) throw new AppError('invalid_input', `Offset ${offset} is past the end of ${fileName} (${size} bytes).`)
  const fd = openSync(path, 'r')
  try {
    const want = Math.min(pieceBytes, size - offset)
    const more = offset + want < size
    // One byte beyond the piece tells whether the cut would fall inside a UTF-8 sequence.
    const buf = Buffer.allocUnsafe(want + (more ? 1 : 0))
    const n = Math.min(readSync(fd, buf, 0, buf.length, offset), want)
    let end = n
    if (more) {
      const nl = buf.lastIndexOf(10, n - 1)
      // A line longer than a piece goes in several: cut before a UTF-8 continuation byte.
      if (nl >= 0) end = nl + 1
      else while (end > 1 && (buf[end] & 0xc0) === 0x80) end--
    }
    return { text: buf.subarray(0, end).toString('utf8'), nextOffset: offset + end, done: offset + end >= size, bytes: size }
  } finally {
    closeSync(fd)
  }
}
