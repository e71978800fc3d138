import type { StateCreator } from 'zustand'
import type { Settings } from '../../../common/contract'
import type { AppState } from './index'

/** The person's settings as last read from the core. */
export interface SettingsSlice {
  settings: Settings | null
  settingsError: string | null
}

/** Initial settings state. */
export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = () => ({
  settings: null,
  settingsError: null,
})
