import sharp from 'sharp'
import { AppError } from '../../common/errors'

/** Largest source image a thumbnail is made of (pixels), so a huge file cannot stall the app. */
const MAX_PIXELS = 40_000_000

/** A small PNG preview of an image file as a data URL (EXIF orientation applied). */
export async function thumbnail(path: string, size = 64): Promise<{ dataUrl: string }> {
  try {
    const png = await sharp(path, { limitInputPixels: MAX_PIXELS, animated: false }).rotate().resize(size, size, { fit: 'cover' }).png().toBuffer()
    return { dataUrl: `data:image/png;base64,${png.toString('base64')}` }
  } catch (e) {
    throw new AppError('invalid_input', `${path}: cannot make a thumbnail (${(e as Error).message}).`)
  }
}
