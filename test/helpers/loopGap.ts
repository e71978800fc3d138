/** Measures how long the event loop was blocked: the longest gap between ticks of a 1 ms interval. */
export function loopGapMeter(): { stop: () => Promise<number> } {
  let last = performance.now()
  let max = 0
  const timer = setInterval(() => {
    const now = performance.now()
    max = Math.max(max, now - last)
    last = now
  }, 1)
  return {
    // One more tick first, so a block that just ended is counted.
    stop: () =>
      new Promise((resolve) =>
        setTimeout(() => {
          clearInterval(timer)
          resolve(Math.max(max, performance.now() - last))
        }, 5),
      ),
  }
}
