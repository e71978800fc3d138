// Confusion-matrix arithmetic for the side-by-side view.

/** Each row divided by its sum (truth-normalized: the diagonal is per-class recall); empty rows stay 0. */
export function normalizeRows(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0)
    return row.map((n) => (sum > 0 ? n / sum : 0))
  })
}

/** A cell's shading in [0, 1]: relative to the largest count, or the share itself when normalized. */
export function cellIntensity(value: number, max: number, normalized: boolean): number {
  if (normalized) return Math.min(1, Math.max(0, value))
  return max > 0 ? value / max : 0
}

/** Union of class names over several evaluations, in first-seen order (runs may see different classes). */
export function unionClasses(lists: readonly (readonly string[])[]): string[] {
  const out: string[] = []
  for (const l of lists) for (const c of l) if (!out.includes(c)) out.push(c)
  return out
}
