import { create } from 'zustand'
import { createCompareSlice, type CompareSlice } from './compareSlice'
import { createDatasetsSlice, type DatasetsSlice } from './datasetsSlice'
import { createDesignerSlice, type DesignerSlice } from './designerSlice'
import { createErrorsSlice, type ErrorsSlice } from './errorsSlice'
import { createExplainSlice, type ExplainSlice } from './explainSlice'
import { createNavSlice, type NavSlice } from './navSlice'
import { createRunsSlice, type RunsSlice } from './runsSlice'
import { createStudiesSlice, type StudiesSlice } from './studiesSlice'
import { createSettingsSlice, type SettingsSlice } from './settingsSlice'
import { createSystemSlice, type SystemSlice } from './systemSlice'

/** The whole renderer state: one store built from slices. */
export type AppState = SystemSlice & ErrorsSlice & SettingsSlice & NavSlice & DesignerSlice & DatasetsSlice & RunsSlice & CompareSlice & ExplainSlice & StudiesSlice

/** The one zustand store; components read it through narrow selectors. */
export const useAppStore = create<AppState>()((...a) => ({
  ...createSystemSlice(...a),
  ...createErrorsSlice(...a),
  ...createSettingsSlice(...a),
  ...createNavSlice(...a),
  ...createDesignerSlice(...a),
  ...createDatasetsSlice(...a),
  ...createRunsSlice(...a),
  ...createCompareSlice(...a),
  ...createExplainSlice(...a),
  ...createStudiesSlice(...a),
}))

/** The state a fresh store starts with, for resetting between tests. */
export const initialAppState = useAppStore.getState()
