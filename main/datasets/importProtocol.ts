import type { ImportProgress } from '../../common/datasets/progress'

/** What an import worker is asked to do. */
export type ImportRequest =
  | { kind: 'csv'; path: string; options: Record<string, unknown> }
  | { kind: 'images'; path: string; options: Record<string, unknown> }

/** Messages main sends an import worker. */
export type ToImportWorker =
  | { type: 'start'; dbPath: string; request: ImportRequest }
  | { type: 'cancel' }
  /** Get ready for an import that is likely to come (its helper thread started): answered with 'warm'. */
  | { type: 'warm' }

/** Messages an import worker sends main. */
export type FromImportWorker =
  /** The worker is ready for an import (after 'warm'). */
  | { type: 'warm' }
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; result: { datasetId: number; versionId: number; version: number; name: string; rowCount: number } }
  | { type: 'error'; code: string; message: string; details?: unknown }
