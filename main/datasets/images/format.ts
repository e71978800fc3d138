/** Image formats the import reads. */
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif'

/** File name endings and the format each one promises. */
export const IMAGE_EXTENSIONS: Readonly<Record<string, ImageFormat>> = {
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.jpe': 'jpeg',
  '.webp': 'webp',
  '.gif': 'gif',
}

/** Bytes sniffFormat needs. */
export const SNIFF_BYTES = 16

const NAMES: Record<ImageFormat, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP', gif: 'GIF' }

/** The format's display name. */
export function formatName(f: ImageFormat): string {
  return NAMES[f]
}

/** The format the first bytes say (magic numbers), or null for anything else. */
export function sniffFormat(b: Uint8Array): ImageFormat | null {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png'
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg'
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return 'gif'
  if (b.length >= 12 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return 'webp'
  return null
}

/**
 * Why a file cannot be read as the image its name promises, from its first bytes: empty,
 * not an image at all, or an image of another format than its extension says. null when fine.
 */
export function headerProblem(ext: string, head: Uint8Array, size: number): string | null {
  if (size === 0) return 'empty file (0 bytes)'
  const promised = IMAGE_EXTENSIONS[ext]
  const actual = sniffFormat(head)
  if (!actual) return `not an image: its first bytes are not those of a PNG, JPEG, WebP or GIF file`
  if (promised && promised !== actual) return `named ${ext} but it is a ${formatName(actual)} image (mislabelled extension)`
  return null
}
