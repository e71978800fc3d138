import { existsSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SampleDataset } from '../../../common/datasets/types'
import { flowersCsv } from './flowers'
import { reviewsCsv } from './reviews'
import { SHAPE_CLASSES, writeShapeImages } from './shapes'

/** Writes in progress, by folder: a second call (a page reloaded mid-write) waits for the first. */
const writing = new Map<string, Promise<SampleDataset[]>>()

/**
 * Writes the three sample datasets under `dir` (once; they are generated, not shipped, so the app
 * stays small and they are the same on every machine) and returns where they are:
 * - flowers.csv: 150 iris-like flowers, 4 measurements, 3 species (classification);
 * - shapes/: 180 greyscale 28 x 28 images of circles, squares and triangles;
 * - reviews.csv: 600 short product reviews, positive or negative (text, tokenized).
 */
export function writeSampleDatasets(dir: string): Promise<SampleDataset[]> {
  // Why: two overlapping calls both removed and refilled shapes.partial, and one failed with
  // ENOTEMPTY (seen when the page reloaded while the first call was writing).
  let pending = writing.get(dir)
  if (!pending) {
    pending = writeOnce(dir).finally(() => writing.delete(dir))
    writing.set(dir, pending)
  }
  return pending
}

async function writeOnce(dir: string): Promise<SampleDataset[]> {
  await mkdir(dir, { recursive: true })
  const csv = join(dir, 'flowers.csv')
  if (!existsSync(csv)) await writeFile(csv, flowersCsv())
  const reviews = join(dir, 'reviews.csv')
  if (!existsSync(reviews)) await writeFile(reviews, reviewsCsv())
  const images = join(dir, 'shapes')
  if (!existsSync(join(images, SHAPE_CLASSES[SHAPE_CLASSES.length - 1]))) {
    // Written to a side folder and renamed, so an interrupted first launch never leaves half a set.
    const tmp = `${images}.partial`
    await rm(tmp, { recursive: true, force: true })
    await writeShapeImages(tmp)
    await rm(images, { recursive: true, force: true })
    await rename(tmp, images)
  }
  return [
    {
      name: 'flowers',
      kind: 'csv',
      title: 'Flowers (iris-like)',
      description: '150 flowers with sepal and petal length and width; predict the species (3 classes).',
      path: csv,
    },
    {
      name: 'shapes',
      kind: 'images',
      title: 'Shapes',
      description: '180 greyscale 28 x 28 images of circles, squares and triangles; predict the shape.',
      path: images,
    },
    {
      name: 'reviews',
      kind: 'csv',
      title: 'Reviews (text)',
      description: '600 short product reviews; predict the sentiment (2 classes) from the words, for the text classifier template.',
      path: reviews,
      // The words are the feature: a small vocabulary and short sequences keep training quick.
      columns: { review: { transform: 'tokens', vocabSize: 500, sequenceLength: 40 } },
    },
  ]
}

export type { SampleDataset } from '../../../common/datasets/types'
