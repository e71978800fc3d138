// Small numeric helpers every bench case prints with.

/** The median of xs (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

/** v rounded to `digits` decimals. */
export const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits
