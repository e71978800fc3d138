import type { Input } from '../../../common/contract'
import { getApi } from '../api/api'
import { openSection } from './actions'
import { useAppStore } from './index'
import { selectRun } from './runsActions'
import type { StudiesState } from './studiesSlice'

const get = () => useAppStore.getState().studies
const patch = (p: Partial<StudiesState>) => useAppStore.setState((s) => ({ studies: { ...s.studies, ...p } }))

/** Loads every study, and the open one again. */
export async function loadStudies(): Promise<void> {
  const res = await getApi().studies.list({})
  if (!res.ok) return patch({ message: { kind: 'error', text: res.message } })
  patch({ list: res.value })
  const openId = get().openId ?? res.value[0]?.id ?? null
  if (openId !== null) await openStudy(openId)
}

/** Opens a study with all its trials. */
export async function openStudy(studyId: number): Promise<void> {
  const res = await getApi().studies.get({ studyId })
  if (!res.ok) return patch({ message: { kind: 'error', text: res.message } })
  patch({ openId: studyId, open: res.value })
}

/** Creates a study; a refusal (bad space, model that does not fit) is shown with main's reason. */
export async function createStudy(input: Input<'studies.create'>): Promise<boolean> {
  const res = await getApi().studies.create(input)
  if (!res.ok) {
    patch({ message: { kind: 'error', text: res.message } })
    return false
  }
  const invalid = res.value.counts.invalid
  patch({
    openId: res.value.id,
    open: res.value,
    message: invalid ? { kind: 'info', text: `${invalid} of ${res.value.trials.length} combinations cannot run (see their reasons below); the others are queued.` } : null,
  })
  await loadStudies()
  return true
}

/** Pauses, resumes or stops the open study. */
export async function controlStudy(studyId: number, action: 'pause' | 'resume' | 'stop'): Promise<void> {
  const res = await getApi().studies.control({ studyId, action })
  if (!res.ok) return patch({ message: { kind: 'error', text: res.message } })
  patch({ open: res.value, message: null })
  await loadStudies()
}

/** Trains a final model with the best trial's exact model version and config, and opens it in Runs. */
export async function trainFinal(runId: number, studyName: string): Promise<void> {
  const api = getApi()
  const run = await api.runs.get({ runId })
  if (!run.ok) return patch({ message: { kind: 'error', text: run.message } })
  const { modelVersionId, datasetVersionId } = run.value
  // A fold run (cross-validation) trained on part of the rows: the final model trains on all of them.
  const { fold: _fold, ...config } = run.value.config
  if (modelVersionId === null || datasetVersionId === null) return patch({ message: { kind: 'error', text: 'The best trial no longer has its model or dataset version.' } })
  const res = await api.runs.start({ modelVersionId, datasetVersionId, config, name: `${studyName} · final` })
  if (!res.ok) return patch({ message: { kind: 'error', text: res.message } })
  await openSection('runs')
  await selectRun(res.value.id)
}

let timer: ReturnType<typeof setTimeout> | null = null

/** Keeps the panel live: a study change refetches it (coalesced, so a burst of epochs costs one read). */
export function subscribeStudyEvents(): () => void {
  const off = getApi().on('study.changed', () => {
    if (timer) return
    timer = setTimeout(() => {
      timer = null
      void loadStudies()
    }, 150)
  })
  return () => {
    off()
    if (timer) clearTimeout(timer)
    timer = null
  }
}

/** Dismisses the panel's message. */
export function dismissStudyMessage(): void {
  patch({ message: null })
}
