import { randomBytes } from 'node:crypto'
import { mkdir, open, rm, stat, type FileHandle } from 'node:fs/promises'
import { dirname, join, normalize, sep } from 'node:path'
import { AppError } from '../../common/errors'

/** Largest file an upload may write (dropped data of any realistic size fits). */
export const MAX_UPLOAD_BYTES = 8 * 1024 ** 3

interface Upload {
  root: string
  files: Map<string, { handle: FileHandle; size: number; written: number }>
}

/**
 * Files dropped onto the window arrive in pieces through the contract (a browser gives no path),
 * and are written under the data folder's uploads/; an import then reads them from there. A
 * dropped folder keeps its relative layout, so class subfolders survive.
 */
export class Uploads {
  private readonly open = new Map<string, Upload>()
  constructor(private readonly baseDir: string) {}

  /** Starts an upload session and returns its id. */
  async begin(): Promise<{ uploadId: string }> {
    const uploadId = randomBytes(9).toString('base64url')
    const root = join(this.baseDir, uploadId)
    await mkdir(root, { recursive: true })
    this.open.set(uploadId, { root, files: new Map() })
    return { uploadId }
  }

  private session(uploadId: string): Upload {
    const u = this.open.get(uploadId)
    if (!u) throw new AppError('not_found', `Upload ${uploadId} is not open.`)
    return u
  }

  /** Appends a piece of one file; pieces of a file must arrive in order. */
  async append(uploadId: string, relPath: string, size: number, offset: number, base64: string): Promise<{ written: number }> {
    const u = this.session(uploadId)
    const rel = normalize(relPath).replace(/^([/\\])+/, '')
    if (!rel || rel.startsWith('..') || rel.split(sep).includes('..')) throw new AppError('invalid_input', `Refused upload path "${relPath}".`)
    if (size > MAX_UPLOAD_BYTES) throw new AppError('payload_too_large', `${relPath} is larger than ${MAX_UPLOAD_BYTES} bytes.`)
    let f = u.files.get(rel)
    if (!f) {
      const path = join(u.root, rel)
      await mkdir(dirname(path), { recursive: true })
      f = { handle: await open(path, 'w'), size, written: 0 }
      u.files.set(rel, f)
    }
    if (offset !== f.written) throw new AppError('invalid_input', `${relPath}: expected the piece at byte ${f.written}, got ${offset}.`)
    const data = Buffer.from(base64, 'base64')
    if (f.written + data.length > f.size) throw new AppError('invalid_input', `${relPath}: more bytes than its declared size ${f.size}.`)
    await f.handle.write(data, 0, data.length, offset)
    f.written += data.length
    return { written: f.written }
  }

  /** Closes the session; returns the folder (or the single file) the import should read. */
  async finish(uploadId: string): Promise<{ path: string; files: number; bytes: number }> {
    const u = this.session(uploadId)
    this.open.delete(uploadId)
    let bytes = 0
    for (const [rel, f] of u.files) {
      await f.handle.close()
      if (f.written !== f.size) throw new AppError('invalid_input', `${rel} arrived incomplete (${f.written} of ${f.size} bytes).`)
      bytes += f.written
    }
    const names = [...u.files.keys()]
    const single = names.length === 1 && !names[0].includes(sep)
    const path = single ? join(u.root, names[0]) : names.length && names.every((n) => n.split(sep)[0] === names[0].split(sep)[0]) ? join(u.root, names[0].split(sep)[0]) : u.root
    await stat(path)
    return { path, files: names.length, bytes }
  }

  /** Drops a session and what it wrote. */
  async abort(uploadId: string): Promise<void> {
    const u = this.open.get(uploadId)
    if (!u) return
    this.open.delete(uploadId)
    for (const f of u.files.values()) await f.handle.close().catch(() => undefined)
    await rm(u.root, { recursive: true, force: true })
  }
}
