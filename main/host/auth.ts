import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** A fresh random token for one start of the host. */
export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

/** Compares two tokens in constant time (hashing first makes the lengths equal). */
export function tokensEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest()
  const hb = createHash('sha256').update(b).digest()
  return timingSafeEqual(ha, hb)
}

/** The cookie that carries the token after the first visit; named per port so two hosts never clash. */
export function cookieName(port: number): string {
  return `wb_token_${port}`
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return null
}

/** Where a request's token came from, if it had one. */
export interface PresentedToken {
  value: string
  via: 'query' | 'cookie' | 'header'
}

/** Finds the token a request presents: `Authorization: Bearer`, the per-port cookie, or `?token=`. */
export function presentedToken(req: IncomingMessage, url: URL, port: number): PresentedToken | null {
  const auth = req.headers.authorization
  if (auth?.startsWith('Bearer ')) return { value: auth.slice(7).trim(), via: 'header' }
  const fromQuery = url.searchParams.get('token')
  if (fromQuery) return { value: fromQuery, via: 'query' }
  const fromCookie = cookieValue(req, cookieName(port))
  if (fromCookie) return { value: fromCookie, via: 'cookie' }
  return null
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * Refuses requests whose Host header names something other than this loopback server (a DNS
 * rebinding page would send its own host name) and browser requests from other origins.
 */
export function checkHostAndOrigin(req: IncomingMessage, port: number, loopbackOnly: boolean): string | null {
  const host = req.headers.host ?? ''
  const colon = host.lastIndexOf(':')
  const name = colon > 0 ? host.slice(0, colon) : host
  const hostPort = colon > 0 ? Number(host.slice(colon + 1)) : 80
  if (loopbackOnly && (!LOOPBACK_NAMES.has(name) || hostPort !== port)) return `unexpected Host header "${host}"`
  const origin = req.headers.origin
  if (origin !== undefined && origin !== `http://${host}`) return `requests from origin "${origin}" are refused`
  return null
}
