/** Compact number formatting for counts (1.2k, 3.4M). */
export function compact(n: number): string {
  if (n < 1000) return String(n)
  const units = ['k', 'M', 'G', 'T']
  let v = n
  let i = -1
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000
    i++
  }
  return `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)}${units[i]}`
}
