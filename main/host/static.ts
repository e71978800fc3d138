import { readFile, stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
}

/** The Content-Security-Policy the host sends; connect-src names this server's own WebSocket. */
export function hostCsp(hostHeader: string): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://${hostHeader}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ')
}

/** Maps a URL path to a file under root, or null when it would escape root. */
export function safeJoin(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const full = normalize(join(root, decoded))
  const base = normalize(root.endsWith(sep) ? root : root + sep)
  return full.startsWith(base) || full === normalize(root) ? full : null
}

/**
 * Serves the renderer build. Unknown paths without an extension get index.html (the app routes
 * itself); the Electron-only meta CSP is removed there because the host sends its own header.
 */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse, head: boolean): Promise<void> {
  let file = safeJoin(root, urlPath === '/' ? '/index.html' : urlPath)
  if (!file) {
    res.writeHead(400).end('Bad path')
    return
  }
  let info = await stat(file).catch(() => null)
  if ((!info || info.isDirectory()) && !extname(urlPath)) {
    file = join(root, 'index.html')
    info = await stat(file).catch(() => null)
  }
  if (!info || !info.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found')
    return
  }
  const type = TYPES[extname(file)] ?? 'application/octet-stream'
  let body = await readFile(file)
  if (file.endsWith('index.html')) {
    body = Buffer.from(body.toString('utf8').replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/i, ''))
  }
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.length,
    'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'private, max-age=3600',
  })
  res.end(head ? undefined : body)
}
