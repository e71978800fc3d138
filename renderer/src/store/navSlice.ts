import type { StateCreator } from 'zustand'
import { SECTIONS, type RecentItem, type Section } from '../../../common/contract'
import type { AppState } from './index'

/** Which section is open, and the recent items of each. */
export interface NavSlice {
  section: Section
  recent: Partial<Record<Section, RecentItem[]>>
}

/** Reads the section from the URL hash (#/runs), so reloads keep the place. */
export function sectionFromHash(hash: string): Section {
  const name = hash.replace(/^#\/?/, '')
  return (SECTIONS as readonly string[]).includes(name) ? (name as Section) : 'datasets'
}

/** Initial navigation state. */
export const createNavSlice: StateCreator<AppState, [], [], NavSlice> = () => ({
  section: typeof location === 'undefined' ? 'datasets' : sectionFromHash(location.hash),
  recent: {},
})
