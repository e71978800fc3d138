import type { Input, RunSummary } from '../../../preload/contract'
import { getApi } from '../api/api'
import { useAppStore } from './index'
import type { RunsState } from './runsSlice'

const get = () => useAppStore.getState().runs
const patch = (p: Partial<RunsState>) => useAppStore.setState((s) => ({ runs: { ...s.runs, ...p } }))

function upsert(run: RunSummary): void {
  const list = get().list
  const i = list.findIndex((r) => r.id === run.id)
  patch({ list: i < 0 ? [run, ...list] : list.map((r) => (r.id === run.id ? run : r)) })
}

/** Loads the newest runs. */
export async function loadRuns(): Promise<void> {
  const res = await getApi().runs.recent({ limit: 200 })
  if (res.ok) patch({ list: res.value })
}

/** Starts a run; a refusal (wrong input shape, loss, ...) shows its message. */
export async function startRun(input: Input<'runs.start'>): Promise<RunSummary | null> {
  const res = await getApi().runs.start(input)
  if (!res.ok) {
    patch({ message: { kind: 'error', text: res.message } })
    return null
  }
  upsert(res.value)
  patch({ message: null })
  await selectRun(res.value.id)
  return res.value
}

/** Opens a run: its full series and its evaluation. */
export async function selectRun(runId: number): Promise<void> {
  patch({ selectedId: runId, series: {}, evaluation: null })
  const api = getApi()
  const [metrics, evaluation] = await Promise.all([api.runs.metrics({ runId }), api.runs.evaluation({ runId })])
  if (get().selectedId !== runId) return
  patch({ series: metrics.ok ? metrics.value : {}, evaluation: evaluation.ok ? evaluation.value : null })
}

/** Pauses, resumes or stops the run. */
export async function controlRun(runId: number, action: 'pause' | 'resume' | 'stop'): Promise<void> {
  const res = await getApi().runs.control({ runId, action })
  if (!res.ok) patch({ message: { kind: 'error', text: res.message } })
}

/** Continues an interrupted, stopped or failed run from its newest checkpoint. */
export async function resumeRun(runId: number): Promise<void> {
  const res = await getApi().runs.resume({ runId })
  if (!res.ok) patch({ message: { kind: 'error', text: res.message } })
  else upsert(res.value)
}

/** Follows run events: states refresh the run, progress and epochs extend the open run's curves. */
export function subscribeRunEvents(): () => void {
  const api = getApi()
  const offs = [
    api.on('run.state', async (e) => {
      const res = await api.runs.get({ runId: e.runId })
      if (res.ok) upsert(res.value)
      if (get().selectedId === e.runId && ['completed', 'stopped', 'failed'].includes(e.state)) void selectRun(e.runId)
    }),
    api.on('run.progress', (p) => {
      patch({ progress: { ...get().progress, [p.runId]: p } })
      if (get().selectedId === p.runId) {
        const s = get().series
        const cur = s.batch_loss ?? []
        if (!cur.length || cur[cur.length - 1].step < p.step) patch({ series: { ...s, batch_loss: [...cur, { step: p.step, epoch: p.epoch, value: p.batchLoss, wallTime: 0 }] } })
      }
    }),
    api.on('run.epoch', (m) => {
      if (get().selectedId !== m.runId) return
      const s = { ...get().series }
      for (const [name, value] of Object.entries(m.values)) s[name] = [...(s[name] ?? []), { step: m.step, epoch: m.epoch, value, wallTime: 0 }]
      patch({ series: s })
    }),
  ]
  return () => offs.forEach((off) => off())
}
