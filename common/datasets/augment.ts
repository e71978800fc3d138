import { z } from 'zod'
import { AppError } from '../errors'

/**
 * Augmentation settings stored with an image dataset version (augment_json), for training to
 * apply on the fly. Nothing is applied at import: the stored pixels are the real images.
 */
export const augmentSchema = z
  .object({
    /** Mirror left-right with probability 0.5. */
    horizontalFlip: z.boolean().default(false),
    /** Mirror top-bottom with probability 0.5 (wrong for digits and text; off by default). */
    verticalFlip: z.boolean().default(false),
    /** Rotate by a random angle in [-d, d] degrees. */
    rotationDegrees: z.number().min(0).max(45).default(0),
    /** Shift by up to this fraction of the width and height. */
    shift: z.number().min(0).max(0.5).default(0),
    /** Zoom in or out by up to this fraction. */
    zoom: z.number().min(0).max(0.5).default(0),
    /** Scale brightness by a random factor in [1 - b, 1 + b]. */
    brightness: z.number().min(0).max(1).default(0),
  })
  .strict()

/** Validated augmentation settings. */
export type AugmentSettings = z.output<typeof augmentSchema>

/** No augmentation. */
export const NO_AUGMENT: AugmentSettings = augmentSchema.parse({})

/** Checks augmentation settings, naming the offending field. */
export function validateAugment(input: unknown): AugmentSettings {
  const r = augmentSchema.safeParse(input ?? {})
  if (r.success) return r.data
  const issues = r.error.issues.map((i) => `field "augment.${i.path.join('.')}": ${i.message}`)
  throw new AppError('invalid_input', `Invalid augmentation settings: ${issues.join('; ')}.`, r.error.issues)
}
