import type { StateCreator } from 'zustand'
import type { StudyDetail, StudySummary } from '../../../common/contract'
import type { AppState } from './index'

/** The Studies panel: every study, the open one with its trials, and the last refusal or notice. */
export interface StudiesState {
  list: StudySummary[]
  openId: number | null
  open: StudyDetail | null
  message: { kind: 'error' | 'info'; text: string } | null
}

/** The Studies slice. */
export interface StudiesSlice {
  studies: StudiesState
}

/** Creates the Studies slice (actions live in studiesActions.ts). */
export const createStudiesSlice: StateCreator<AppState, [], [], StudiesSlice> = () => ({
  studies: { list: [], openId: null, open: null, message: null },
})
