import type { Section, Settings } from '../../../common/contract'
import { getApi } from '../api/api'
import { useAppStore } from './index'
import { reportFailure } from './reportError'

const set = useAppStore.setState

/** Loads system status and settings, and subscribes to settings changes made elsewhere. */
export async function bootstrap(): Promise<void> {
  const api = getApi()
  api.on('settings.changed', (settings) => set({ settings }))
  const [status, settings] = await Promise.all([api.system.status({}), api.settings.get({})])
  set(
    status.ok ? { status: status.value, statusError: null } : { statusError: status.message },
  )
  set(settings.ok ? { settings: settings.value, settingsError: null } : { settingsError: settings.message })
  await loadRecent(useAppStore.getState().section)
}

/** Opens a section and refreshes its recent items. */
export async function openSection(section: Section): Promise<void> {
  set({ section })
  if (typeof location !== 'undefined' && location.hash !== `#/${section}`) location.hash = `#/${section}`
  await loadRecent(section)
}

/** Reloads one section's recent items. */
export async function loadRecent(section: Section): Promise<void> {
  const res = await getApi().recent.list({ section, limit: 10 })
  if (!res.ok) return reportFailure('Loading recent items', res)
  set((s) => ({ recent: { ...s.recent, [section]: res.value } }))
}

/** Saves a settings change; the store follows the core's answer, not the request. */
export async function changeSettings(patch: Partial<Settings>): Promise<void> {
  const res = await getApi().settings.update(patch)
  set(res.ok ? { settings: res.value, settingsError: null } : { settingsError: res.message })
}

/** Shows or hides the system panel (backend ladder and database details). */
export function toggleSystemPanel(open?: boolean): void {
  set((s) => ({ systemPanelOpen: open ?? !s.systemPanelOpen }))
}
