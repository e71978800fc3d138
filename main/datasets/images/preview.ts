import { imagePreviewOptionsSchema, parseOptions, type ImagePreviewOptions } from '../../../common/datasets/schemas'
import type { ImageClassPreview, ImagePreviewResult } from '../../../common/datasets/types'
import { SNIFF_BYTES, headerProblem } from './format'
import { readHead, scanImageFolder } from './scan'



/** Files checked at a time. */
const PARALLEL = 16

/**
 * A quick look at an image folder before importing: its classes with counts and sample files,
 * and every file that will be skipped with the reason (not an image, empty, mislabelled
 * extension, symbolic link leaving the folder, not in a class folder). Reads only the first 16
 * bytes of each file: corrupt or truncated data and over-size images are found by the import.
 */
export async function previewImageFolder(folder: string, options: ImagePreviewOptions = {}): Promise<ImagePreviewResult> {
  const o = parseOptions(imagePreviewOptionsSchema, options, 'image folder preview')
  const scan = await scanImageFolder(folder, o.labelsCsv)
  const ok = new Array<boolean>(scan.entries.length).fill(false)
  const skipped = [...scan.skipped]
  for (let start = 0; start < scan.entries.length; start += PARALLEL) {
    const batch = scan.entries.slice(start, start + PARALLEL)
    const problems = await Promise.all(batch.map(async (e) => headerProblem(e.ext, await readHead(e.abs, SNIFF_BYTES), e.bytes)))
    problems.forEach((p, k) => {
      if (p) skipped.push({ path: batch[k].rel, reason: p })
      else ok[start + k] = true
    })
  }
  const per = o.samplesPerClass ?? 4
  const classes = new Map<string, ImageClassPreview>(scan.classes.map((name) => [name, { name, count: 0, samples: [] }]))
  scan.entries.forEach((e, i) => {
    if (!ok[i]) return
    const c = classes.get(e.label) as ImageClassPreview
    c.count++
    if (c.samples.length < per) c.samples.push({ path: e.rel, abs: e.abs })
  })
  return {
    folder: scan.root,
    mode: scan.mode,
    classes: [...classes.values()].filter((c) => c.count > 0),
    images: ok.filter(Boolean).length,
    skipped,
    hidden: scan.hidden,
    note: 'Only file headers were checked: corrupt or truncated images and images over the pixel limit are skipped (and listed) by the import.',
  }
}

export type { ImageClassPreview, ImagePreviewResult } from '../../../common/datasets/types'
