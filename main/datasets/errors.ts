import { AppError } from '../../common/errors'

/** Bad input in a file the person chose: the message names the file and where in it. */
export function badInput(file: string, message: string, details?: unknown): AppError {
  return new AppError('invalid_input', `${file}: ${message}`, details)
}

/** A file or folder that does not exist or cannot be read. */
export function notFound(file: string, why: string): AppError {
  return new AppError('not_found', `${file}: ${why}`)
}

/**
 * The person cancelled. ErrorCode has no 'cancelled' yet, so this uses 'unavailable' with
 * details.cancelled = true; the UI can tell a cancel from a failure by that flag.
 */
export function cancelled(file: string): AppError {
  return new AppError('unavailable', `Import of ${file} was cancelled; nothing was written.`, { cancelled: true })
}

/** Throws the cancel error when the signal has fired; called between chunks of work. */
export function throwIfAborted(signal: AbortSignal | undefined, file: string): void {
  if (signal?.aborted) throw cancelled(file)
}

/** True for the error `cancelled` makes. */
export function isCancelled(e: unknown): boolean {
  return e instanceof AppError && (e.details as { cancelled?: boolean } | undefined)?.cancelled === true
}
