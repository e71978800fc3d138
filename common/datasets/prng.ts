/**
 * One draw of mulberry32 from its state after the step (nextRandomState): a float in [0, 1).
 * Split from the state so a hot loop can keep the state in a local and get seededRandom's numbers.
 */
export function randomOfState(state: number): number {
  let t = state
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** mulberry32's state for the next draw. */
export function nextRandomState(state: number): number {
  return (state + 0x6d2b79f5) >>> 0
}

/** A seeded pseudo-random generator returning floats in [0, 1): mulberry32, tiny and good enough for splits. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = nextRandomState(s)
    return randomOfState(s)
  }
}

/** Shuffles an array-like in place with Fisher-Yates, driven by the given generator. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(a: T, random: () => number): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = a[i]
    a[i] = a[j]
    a[j] = t
  }
  return a
}
