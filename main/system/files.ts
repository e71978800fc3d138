import { readdir, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { FileEntry, FolderListing } from '../../common/contract'
import { AppError } from '../../common/errors'



const MAX_ENTRIES = 5000

/**
 * Lists a folder on the machine the workbench runs on: folders first, then files, hidden ones
 * left out. Used by the import picker, so the person can choose data that lives on that machine.
 */
export async function listFolder(path?: string): Promise<FolderListing> {
  const dir = resolve(path && path.trim() ? path : homedir())
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new AppError('not_found', code === 'ENOTDIR' ? `${dir} is a file, not a folder.` : `Cannot open folder ${dir} (${code ?? (e as Error).message}).`)
  }
  const entries: FileEntry[] = []
  for (const name of names.filter((n) => !n.startsWith('.')).slice(0, MAX_ENTRIES)) {
    const info = await stat(join(dir, name)).catch(() => null)
    if (info) entries.push({ name, kind: info.isDirectory() ? 'dir' : 'file', size: info.isDirectory() ? 0 : info.size })
  }
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1))
  const parent = dirname(dir)
  return { path: dir, parent: parent === dir ? null : parent, entries }
}
