import type { AugmentSettings } from '../../common/datasets/augment'

/**
 * Applies the dataset's augmentation to a batch of HWC float images in place: flips, brightness,
 * and shift/rotation/zoom as one inverse-mapped affine warp (nearest neighbour, zero fill).
 * Driven by the run's seeded generator so a resumed run sees the same augmented batches.
 */
export function augmentBatch(x: Float32Array, n: number, h: number, w: number, c: number, aug: AugmentSettings, random: () => number): void {
  const warp = aug.shift > 0 || aug.rotationDegrees > 0 || aug.zoom > 0
  const size = h * w * c
  const tmp = warp ? new Float32Array(size) : null
  for (let s = 0; s < n; s++) {
    const img = x.subarray(s * size, (s + 1) * size)
    if (aug.horizontalFlip && random() < 0.5) flip(img, h, w, c, true)
    if (aug.verticalFlip && random() < 0.5) flip(img, h, w, c, false)
    if (tmp) {
      const angle = ((random() * 2 - 1) * aug.rotationDegrees * Math.PI) / 180
      const scale = 1 + (random() * 2 - 1) * aug.zoom
      const dx = (random() * 2 - 1) * aug.shift * w
      const dy = (random() * 2 - 1) * aug.shift * h
      tmp.set(img)
      const cos = Math.cos(angle) / scale
      const sin = Math.sin(angle) / scale
      const cx = (w - 1) / 2
      const cy = (h - 1) / 2
      for (let yy = 0; yy < h; yy++) {
        for (let xx = 0; xx < w; xx++) {
          const ux = xx - cx - dx
          const uy = yy - cy - dy
          const sx = Math.round(cos * ux + sin * uy + cx)
          const sy = Math.round(-sin * ux + cos * uy + cy)
          const o = (yy * w + xx) * c
          if (sx < 0 || sy < 0 || sx >= w || sy >= h) for (let k = 0; k < c; k++) img[o + k] = 0
          else for (let k = 0; k < c; k++) img[o + k] = tmp[(sy * w + sx) * c + k]
        }
      }
    }
    if (aug.brightness > 0) {
      const f = 1 + (random() * 2 - 1) * aug.brightness
      for (let i = 0; i < size; i++) img[i] = Math.min(1, img[i] * f)
    }
  }
}

function flip(img: Float32Array, h: number, w: number, c: number, horizontal: boolean): void {
  if (horizontal) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w >> 1; x++) {
        const a = (y * w + x) * c
        const b = (y * w + (w - 1 - x)) * c
        for (let k = 0; k < c; k++) [img[a + k], img[b + k]] = [img[b + k], img[a + k]]
      }
    }
  } else {
    for (let y = 0; y < h >> 1; y++) {
      for (let i = 0; i < w * c; i++) {
        const a = y * w * c + i
        const b = (h - 1 - y) * w * c + i
        ;[img[a], img[b]] = [img[b], img[a]]
      }
    }
  }
}
