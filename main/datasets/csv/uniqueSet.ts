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
    // The hash's low 32 bits (a truncation, not a float remainder, which is a library call).
    let i = (h | 0) & mask
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

/** hash53 of the ASCII text in b[s, e), without making the string (the same number hash53 gives); -1 when a byte is not ASCII. */
export function hash53Bytes(b: Uint8Array, s: number, e: number): number {
  let a = 0x811c9dc5
  let h2 = 0x01000193 ^ (e - s)
  for (let i = s; i < e; i++) {
    const c = b[i]
    if (c >= 128) return -1
    a = Math.imul(a ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995)
    h2 ^= h2 >>> 13
  }
  const h = (a >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff)
  return h === 0 ? 1 : h
}

/** Distinct-value slots by the hash53 of their text (open addressing), for lookups from bytes; the caller checks the text. */
export class SlotsByHash {
  private keys = new Float64Array(4096)
  private vals = new Int32Array(4096)
  private size = 0

  /** The slot stored under hash h, or -1. */
  get(h: number): number {
    const k = this.keys
    const mask = k.length - 1
    for (let i = (h | 0) & mask; ; i = (i + 1) & mask) {
      const v = k[i]
      if (v === h) return this.vals[i]
      if (v === 0) return -1
    }
  }

  /** Stores slot under hash h unless h is there already. */
  set(h: number, slot: number): void {
    if (this.size * 2 >= this.keys.length) this.grow()
    const k = this.keys
    const mask = k.length - 1
    for (let i = (h | 0) & mask; ; i = (i + 1) & mask) {
      const v = k[i]
      if (v === h) return
      if (v === 0) {
        k[i] = h
        this.vals[i] = slot
        this.size++
        return
      }
    }
  }

  private grow(): void {
    const { keys, vals } = this
    this.keys = new Float64Array(keys.length * 2)
    this.vals = new Int32Array(keys.length * 2)
    this.size = 0
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.set(keys[i], vals[i])
  }
}
