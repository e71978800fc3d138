import type { StateCreator } from 'zustand'
import type { SystemStatus } from '../../../common/contract'
import type { AppState } from './index'

/** What the app knows about its host: backend, database, transport. */
export interface SystemSlice {
  status: SystemStatus | null
  statusError: string | null
  systemPanelOpen: boolean
}

/** Initial system state. */
export const createSystemSlice: StateCreator<AppState, [], [], SystemSlice> = () => ({
  status: null,
  statusError: null,
  systemPanelOpen: false,
})
