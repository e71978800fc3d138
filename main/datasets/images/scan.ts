import { lstat, open, readdir, readFile, realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import Papa from 'papaparse'
import { badInput, notFound } from '../errors'
import type { SkippedFile } from '../../../common/datasets/types'
import { IMAGE_EXTENSIONS } from './format'

/** One image file to import. */
export interface ImageEntry {
  /** Path relative to the chosen folder (forward slashes), as reports show it. */
  rel: string
  /** Real path (symlinks resolved, inside the folder). */
  abs: string
  label: string
  ext: string
  bytes: number
}

/** What a folder holds. */
export interface ScanResult {
  /** The folder's real path. */
  root: string
  mode: 'folders' | 'labels_csv'
  entries: ImageEntry[]
  /** Class names, sorted; the label order. */
  classes: string[]
  skipped: SkippedFile[]
  /** Hidden files and folders (names starting with a dot, Thumbs.db, desktop.ini, __MACOSX) left out silently. */
  hidden: number
  /** Told the entry count as entries are found (the import starts its decoders early). */
  onEntry?: (count: number) => void
}

const SYSTEM_NAMES = new Set(['Thumbs.db', 'desktop.ini', '__MACOSX', '$RECYCLE.BIN', 'System Volume Information'])

/** True for names the scan ignores without listing them. */
export function isHidden(name: string): boolean {
  return name.startsWith('.') || SYSTEM_NAMES.has(name)
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep)
}

function relName(root: string, p: string): string {
  return relative(root, p).split(sep).join('/')
}

/** Resolves the chosen folder, refusing what is missing or not a folder. */
async function realRoot(folder: string): Promise<string> {
  let root: string
  try {
    root = await realpath(folder)
  } catch {
    throw notFound(folder, 'no such folder')
  }
  if (!(await stat(root)).isDirectory()) throw badInput(folder, 'is a file; choose a folder with one subfolder per class')
  return root
}

/**
 * Lists the images of a folder with one subfolder per class (files in nested folders belong to
 * their top-level class folder), or of a labels CSV (`path,label` rows, paths relative to the
 * folder). Symbolic links are followed only while they stay inside the folder; hidden files are
 * ignored; anything else that cannot be an image is listed in `skipped` with the reason.
 */
export async function scanImageFolder(folder: string, labelsCsv?: string, onEntry?: (count: number) => void): Promise<ScanResult> {
  const root = await realRoot(folder)
  const out: ScanResult = { root, mode: labelsCsv ? 'labels_csv' : 'folders', entries: [], classes: [], skipped: [], hidden: 0, onEntry }
  if (labelsCsv) await scanLabels(out, isAbsolute(labelsCsv) ? labelsCsv : join(root, labelsCsv))
  else await scanFolders(out)
  out.classes = [...new Set(out.entries.map((e) => e.label))].sort()
  return out
}

async function scanFolders(out: ScanResult): Promise<void> {
  const { root } = out
  const visited = new Set<string>([root])
  const top = (await readdir(root, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))
  for (const d of top) {
    if (isHidden(d.name)) {
      out.hidden++
      continue
    }
    const p = join(root, d.name)
    const target = await follow(out, p)
    if (!target) continue
    if (target.dir) await walk(out, target.real, d.name, visited)
    else out.skipped.push({ path: relName(root, p), reason: 'not inside a class folder (put each class in its own subfolder)' })
  }
}

/** What a path is: a folder or file to use (symlinks resolved), or why it is skipped. */
type Target = { real: string; dir: boolean; size: number } | { skip: string }

/** Resolves a path (following a symlink only if it stays inside the folder), without side effects. */
async function inspect(root: string, p: string): Promise<Target> {
  let st = await lstat(p)
  let real = p
  if (st.isSymbolicLink()) {
    try {
      real = await realpath(p)
    } catch {
      return { skip: 'broken symbolic link' }
    }
    if (!inside(root, real)) return { skip: 'symbolic link pointing outside the chosen folder (not followed)' }
    st = await stat(real)
  }
  if (st.isDirectory()) return { real, dir: true, size: 0 }
  if (!st.isFile()) return { skip: 'not a regular file' }
  return { real, dir: false, size: st.size }
}

/** Resolves a path; null when skipped (the reason is listed). */
async function follow(out: ScanResult, p: string): Promise<{ real: string; dir: boolean; size: number } | null> {
  return listed(out, p, await inspect(out.root, p))
}

function listed(out: ScanResult, p: string, t: Target): { real: string; dir: boolean; size: number } | null {
  if ('skip' in t) {
    out.skipped.push({ path: relName(out.root, p), reason: t.skip })
    return null
  }
  return t
}

/** Paths inspected at a time: a folder of 30,000 files is not 30,000 round trips one after another. */
const INSPECT_AT_ONCE = 64

async function inspectAll(root: string, paths: readonly string[]): Promise<Target[]> {
  const out: Target[] = new Array<Target>(paths.length)
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++
      out[i] = await inspect(root, paths[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(INSPECT_AT_ONCE, paths.length) }, lane))
  return out
}

async function walk(out: ScanResult, dir: string, label: string, visited: Set<string>): Promise<void> {
  if (visited.has(dir)) return
  visited.add(dir)
  const items = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))
  const shown = items.filter((d) => !isHidden(d.name))
  out.hidden += items.length - shown.length
  const paths = shown.map((d) => join(dir, d.name))
  const targets = await inspectAll(out.root, paths)
  for (let k = 0; k < paths.length; k++) {
    const target = listed(out, paths[k], targets[k])
    if (!target) continue
    if (target.dir) {
      await walk(out, target.real, label, visited)
      continue
    }
    addFile(out, paths[k], target.real, label, target.size)
  }
}

function addFile(out: ScanResult, shown: string, real: string, label: string, size: number): void {
  const ext = extname(shown).toLowerCase()
  const rel = relName(out.root, shown)
  if (!(ext in IMAGE_EXTENSIONS)) {
    out.skipped.push({ path: rel, reason: `not an image file name (${ext || 'no extension'}; PNG, JPEG, WebP and GIF are read)` })
    return
  }
  out.entries.push({ rel, abs: real, label, ext, bytes: size })
  out.onEntry?.(out.entries.length)
}

const PATH_NAMES = ['path', 'file', 'filename', 'file_name', 'image', 'image_path']
const LABEL_NAMES = ['label', 'class', 'category', 'target', 'y']

async function scanLabels(out: ScanResult, csvPath: string): Promise<void> {
  let text: string
  try {
    text = await readFile(csvPath, 'utf8')
  } catch {
    throw notFound(csvPath, 'labels CSV not found')
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const rows = (Papa.parse(text, { skipEmptyLines: 'greedy' }) as { data: string[][] }).data
  let pathCol = 0
  let labelCol = 1
  let first = 0
  const head = (rows[0] ?? []).map((h) => h.trim().toLowerCase())
  if (head.some((h) => PATH_NAMES.includes(h)) && head.some((h) => LABEL_NAMES.includes(h))) {
    pathCol = head.findIndex((h) => PATH_NAMES.includes(h))
    labelCol = head.findIndex((h) => LABEL_NAMES.includes(h))
    first = 1
  }
  const seen = new Set<string>()
  for (let r = first; r < rows.length; r++) {
    const line = r + 1
    const file = (rows[r][pathCol] ?? '').trim()
    const label = (rows[r][labelCol] ?? '').trim()
    const where = `labels CSV line ${line}`
    if (!file) {
      out.skipped.push({ path: `(${where})`, reason: 'no file path' })
      continue
    }
    if (!label) {
      out.skipped.push({ path: file, reason: `no label (${where})` })
      continue
    }
    const p = resolve(out.root, file)
    let real: string
    try {
      real = await realpath(p)
    } catch {
      out.skipped.push({ path: file, reason: `listed in the labels CSV (line ${line}) but not found` })
      continue
    }
    if (!inside(out.root, real)) {
      out.skipped.push({ path: file, reason: `outside the chosen folder (${where})` })
      continue
    }
    const st = await stat(real)
    if (!st.isFile()) {
      out.skipped.push({ path: file, reason: `not a regular file (${where})` })
      continue
    }
    if (seen.has(real)) {
      out.skipped.push({ path: file, reason: `listed twice in the labels CSV (again on line ${line})` })
      continue
    }
    seen.add(real)
    addFile(out, p, real, label, st.size)
  }
}

/** Reads the first bytes of a file (for the format check). */
export async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r')
  try {
    const b = Buffer.alloc(n)
    const { bytesRead } = await fh.read(b, 0, n, 0)
    return b.subarray(0, bytesRead)
  } finally {
    await fh.close()
  }
}
