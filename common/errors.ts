import type { ErrorCode } from './contract'

/** A failure a service raises on purpose, with a code and a message meant for the person using the app. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

/** True for errors raised on purpose by our services (as opposed to bugs). */
export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}
