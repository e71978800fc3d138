import { useEffect } from 'react'

/** How long an info message ("Imported …", "Saved …") stays before it fades away. */
export const MESSAGE_FADE_MS = 8000

/**
 * Clears an info message after MESSAGE_FADE_MS (the CSS class `fading` animates it out); errors and
 * messages that offer an action stay until the person deals with them. `clear` receives the message
 * it was started for, so a newer message is never cleared by an older timer.
 */
export function useFadingMessage<M extends { kind: 'error' | 'info' }>(message: M | null, clear: (m: M) => void, opts: { keep?: boolean } = {}): boolean {
  const fades = message !== null && message.kind === 'info' && !opts.keep
  useEffect(() => {
    if (!fades || !message) return
    const t = setTimeout(() => clear(message), MESSAGE_FADE_MS)
    return () => clearTimeout(t)
  }, [message, fades, clear])
  return fades
}
