import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { seededRandom } from '../../../common/datasets/prng'

/** The image sample's classes. */
export const SHAPE_CLASSES = ['circle', 'square', 'triangle'] as const

function svg(shape: (typeof SHAPE_CLASSES)[number], random: () => number): string {
  const size = 8 + random() * 9
  const cx = 14 + (random() - 0.5) * (26 - 2 * size * 0.7)
  const cy = 14 + (random() - 0.5) * (26 - 2 * size * 0.7)
  const angle = Math.round(random() * 360)
  const grey = 170 + Math.round(random() * 85)
  const fill = `rgb(${grey},${grey},${grey})`
  const h = size / 2
  const body =
    shape === 'circle'
      ? `<circle cx="${cx}" cy="${cy}" r="${h}" fill="${fill}"/>`
      : shape === 'square'
        ? `<rect x="${cx - h}" y="${cy - h}" width="${size}" height="${size}" fill="${fill}" transform="rotate(${angle} ${cx} ${cy})"/>`
        : `<polygon points="${cx},${cy - h} ${cx + h * 0.95},${cy + h * 0.7} ${cx - h * 0.95},${cy + h * 0.7}" fill="${fill}" transform="rotate(${angle} ${cx} ${cy})"/>`
  return `<svg xmlns="http://www.w3.org/2000/svg" width="28" height="28"><rect width="28" height="28" fill="black"/>${body}</svg>`
}

/**
 * Writes the image sample: `perClass` 28 x 28 greyscale PNGs of filled circles, squares and
 * triangles (random size, position, rotation and shade from a fixed seed) drawn from SVG by sharp,
 * one subfolder per class. About 300 bytes an image.
 */
export async function writeShapeImages(dir: string, perClass = 60, seed = 28): Promise<void> {
  const random = seededRandom(seed)
  for (const shape of SHAPE_CLASSES) {
    await mkdir(join(dir, shape), { recursive: true })
    for (let i = 0; i < perClass; i++) {
      const png = await sharp(Buffer.from(svg(shape, random))).toColourspace('b-w').png({ compressionLevel: 9 }).toBuffer()
      await writeFile(join(dir, shape, `${shape}_${String(i).padStart(3, '0')}.png`), png)
    }
  }
}
