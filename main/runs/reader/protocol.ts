import type { ErrorCode } from '../../../common/contract'

/** The reads served off the main process (named as the contract names them). */
export type ReadName = 'runs.list' | 'runs.series' | 'runs.exportCsv'

/** A request to the read worker. */
export interface ReadRequest {
  id: number
  name: ReadName
  input: unknown
}

/** The read worker's answers: a result as data, or a note of a slow query for main's log. */
export type ReadReply =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; code: ErrorCode; message: string; details?: unknown }
  | { type: 'slow'; name: ReadName; ms: number }

/** Queries slower than this are logged with their name. */
export const SLOW_QUERY_MS = 100
