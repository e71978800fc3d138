/**
 * A set of 53-bit string hashes in one Float64Array (open addressing), to tell whether a column's
 * values are all different without keeping the strings: 16 bytes per value instead of ~60, and
 * at a million values the chance of a false "duplicate" is about one in ten thousand.
 */
export class UniqueHashSet {
  private table = new Float64Array(1024)
  private size = 0

  /** Adds a value; false when (its hash) was already there. */
  add(s: string): boolean {
    if (this.size * 2 >= this.table.length) this.grow()
    return this.insert(hash53(s))
  }

  /** Adds a value by its hash53; false when it was already there. */
  addHash(h: number): boolean {
    if (this.size * 2 >= this.table.length) this.grow()
    return this.insert(h)
  }

  /** The hashes held (to send to another thread and merge there with addHash). */
  hashes(): Float64Array {
    return this.table.filter((v) => v !== 0)
  }

  private insert(h: number): boolean {
    const t = this.table
    const mask = t.length - 1
    let i = h % t.length
    for (;;) {
      const v = t[i]
      if (v === 0) {
        t[i] = h
        this.size++
        return true
      }
      if (v === h) return false
      i = (i + 1) & mask
    }
  }

  private grow(): void {
    const old = this.table
    this.table = new Float64Array(old.length * 2)
    this.size = 0
    for (const v of old) if (v !== 0) this.insert(v)
  }
}

/** Two FNV-1a variants combined into a positive 53-bit integer (never 0, the empty-slot marker). */
export function hash53(s: string): number {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 13
  }
  const h = (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff)
  return h === 0 ? 1 : h
}
