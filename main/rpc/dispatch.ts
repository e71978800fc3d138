import {
  FORBIDDEN_KEYS,
  MAX_REQUEST_BYTES,
  requests,
  type MethodName,
  type Output,
  type ParsedInput,
  type Result,
} from '../../common/contract'
import { isAppError } from '../../common/errors'

/** Who is calling, for logs and per-transport behaviour. */
export interface CallContext {
  transport: 'electron' | 'browser'
}

/** One handler per request, receiving input already validated against the contract's schema. */
export type Handlers = {
  [M in MethodName]: (input: ParsedInput<M>, ctx: CallContext) => Output<M> | Promise<Output<M>>
}

const MAX_DEPTH = 64

/** Handlers that hold main's thread longer than this are logged with their name. */
export const SLOW_HANDLER_MS = 100

/** Finds a forbidden key (e.g. `__proto__`) anywhere in a JSON-like value; returns its path or null. */
export function findForbiddenKey(value: unknown, path = '', depth = 0): string | null {
  if (depth > MAX_DEPTH) return `${path || '(root)'} (nested deeper than ${MAX_DEPTH})`
  if (value === null || typeof value !== 'object') return null
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key
    if (FORBIDDEN_KEYS.includes(key)) return here
    const hit = findForbiddenKey((value as Record<string, unknown>)[key], here, depth + 1)
    if (hit) return hit
  }
  return null
}

/** Serialized size of a payload, for transports (like IPC) that do not see raw bytes. */
function approxSize(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '')
  } catch {
    return Number.POSITIVE_INFINITY
  }
}

/**
 * Validates one inbound request against the contract and runs its handler. Never throws: every
 * failure (unknown method, oversize or malformed payload, a service error) comes back as data.
 */
export async function dispatch(
  handlers: Handlers,
  method: unknown,
  input: unknown,
  ctx: CallContext,
  byteSize?: number,
): Promise<Result<unknown>> {
  if (typeof method !== 'string' || !Object.hasOwn(requests, method)) {
    return { ok: false, code: 'unknown_method', message: `Unknown request "${String(method).slice(0, 80)}".` }
  }
  const name = method as MethodName
  const size = byteSize ?? approxSize(input)
  if (size > MAX_REQUEST_BYTES) {
    return {
      ok: false,
      code: 'payload_too_large',
      message: `The ${name} request is ${size} bytes; the limit is ${MAX_REQUEST_BYTES}.`,
    }
  }
  const forbidden = findForbiddenKey(input)
  if (forbidden) {
    return { ok: false, code: 'forbidden_key', message: `The ${name} request has a forbidden key at "${forbidden}".` }
  }
  const parsed = requests[name].input.safeParse(input ?? {})
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(input)', message: i.message }))
    return {
      ok: false,
      code: 'invalid_input',
      message: `Invalid ${name} request: ${issues.map((i) => `field "${i.field}": ${i.message}`).join('; ')}.`,
      details: issues,
    }
  }
  try {
    const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown
    // The synchronous part of a handler holds main's event loop (and with it every other request):
    // log the slow ones by name, so a query that belongs in the read worker shows itself.
    const t0 = performance.now()
    const pending = handler(parsed.data, ctx)
    const blocked = performance.now() - t0
    if (blocked > SLOW_HANDLER_MS) console.warn(`[slow query] ${name} held the main thread for ${Math.round(blocked)} ms`)
    return { ok: true, value: await pending }
  } catch (e) {
    if (isAppError(e)) return { ok: false, code: e.code, message: e.message, details: e.details }
    console.error(`[rpc] ${name} failed:`, e)
    return { ok: false, code: 'internal', message: `${name} failed: ${(e as Error)?.message ?? String(e)}` }
  }
}
