import { useEffect, useState } from 'react'

/** The current time in ms, refreshed every `periodMs` while `active`, so live durations tick without new data. */
export function useNow(active: boolean, periodMs = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), periodMs)
    return () => clearInterval(timer)
  }, [active, periodMs])
  return active ? now : Date.now()
}
