import type { StateCreator } from 'zustand'
import type { ErrorCode } from '../../../common/contract'
import type { AppState } from './index'

/** A failed bridge call as the error reporter shows it. */
export interface ReportedError {
  id: number
  /** What the person was doing, in words ("Loading runs"). */
  action: string
  code: ErrorCode
  message: string
  /** The field, column or cell the failure names, when it names one. */
  field: string | null
}

/** Failures no page shows in place, waiting for the person to read and dismiss them. */
export interface ErrorsSlice {
  errors: ReportedError[]
}

/** Initial error state: nothing reported. */
export const createErrorsSlice: StateCreator<AppState, [], [], ErrorsSlice> = () => ({
  errors: [],
})
