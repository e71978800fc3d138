import { UPLOAD_PIECE_BYTES } from '../../../common/contract'
import { getApi } from '../api/api'

/** A file to upload and its path relative to what was dropped (folders keep their layout). */
export interface DroppedFile {
  file: File
  path: string
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject))
}

async function walk(entry: FileSystemEntry, prefix: string, out: DroppedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject))
    out.push({ file, path: prefix + entry.name })
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader()
    // readEntries returns at most ~100 entries per call; keep reading until it returns none.
    for (let batch = await readEntries(reader); batch.length; batch = await readEntries(reader)) {
      for (const child of batch) await walk(child, `${prefix}${entry.name}/`, out)
    }
  }
}

/** The files of a drop, folders walked recursively (hidden files skipped by the import later). */
export async function droppedFiles(dt: DataTransfer): Promise<DroppedFile[]> {
  const out: DroppedFile[] = []
  const entries = Array.from(dt.items)
    .map((i) => i.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e)
  if (entries.length) for (const e of entries) await walk(e, '', out)
  else for (const file of Array.from(dt.files)) out.push({ file, path: file.name })
  return out
}

function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

/** Uploads files to the workbench's machine in pieces and returns where they landed. */
export async function uploadFiles(files: DroppedFile[], onProgress: (done: number, total: number) => void): Promise<{ ok: true; path: string } | { ok: false; message: string }> {
  const api = getApi()
  const begin = await api.uploads.begin({})
  if (!begin.ok) return { ok: false, message: begin.message }
  const { uploadId } = begin.value
  const total = files.reduce((n, f) => n + f.file.size, 0)
  let done = 0
  for (const f of files) {
    for (let offset = 0; offset < f.file.size || (offset === 0 && f.file.size === 0); offset += UPLOAD_PIECE_BYTES) {
      const piece = new Uint8Array(await f.file.slice(offset, offset + UPLOAD_PIECE_BYTES).arrayBuffer())
      const r = await api.uploads.append({ uploadId, path: f.path, size: f.file.size, offset, data: toBase64(piece) })
      if (!r.ok) {
        await api.uploads.abort({ uploadId })
        return { ok: false, message: `${f.path}: ${r.message}` }
      }
      done += piece.length
      onProgress(done, total)
      if (f.file.size === 0) break
    }
  }
  const fin = await api.uploads.finish({ uploadId })
  return fin.ok ? { ok: true, path: fin.value.path } : { ok: false, message: fin.message }
}
