import { beforeEach, describe, expect, it } from 'vitest'
import { buildApi, type EventName, type MethodName, type Projection, type ProjectionProgress, type Result } from '../../../common/contract'
import { setApi } from '../../../renderer/src/api/api'
import { initialAppState, useAppStore } from '../../../renderer/src/store'
import { cancelProjector, hoverPoint, openPoint, openProjector, pointRow } from '../../../renderer/src/store/projectorActions'

const map: Projection = {
  runId: 1,
  checkpointId: 3,
  split: 'test',
  layer: 'dense_1',
  layers: [{ name: 'dense_1', type: 'Dense', width: 8 }],
  width: 8,
  classes: ['cat', 'dog'],
  x: [0, 1, 2],
  y: [0, 1, 0],
  rowIndex: [10, 11, 12],
  truth: [0, 1, 1],
  predicted: [0, 0, 1],
  confidence: [0.9, 0.6, 0.8],
  seed: 1,
  seconds: 2,
  cached: false,
}

/** A fake bridge whose 'runs.project' waits for the test, and that can emit events. */
function fakeApi() {
  const calls: [string, unknown][] = []
  const listeners = new Map<string, (p: unknown) => void>()
  let finish: (r: Result<unknown>) => void = () => {}
  setApi(
    buildApi({
      invoke: async (method: MethodName, input: unknown) => {
        calls.push([method, input])
        if (method === 'runs.project') return new Promise<Result<unknown>>((r) => (finish = r))
        if (method === 'runs.cancelProjection') return { ok: true, value: { cancelled: true } }
        if (method === 'runs.sampleInputs') return { ok: true, value: [{ kind: 'tabular', values: [{ column: 'ear', value: 'pointy' }] }] }
        if (method === 'runs.explainSample') return { ok: false, code: 'not_found', message: 'no' }
        return { ok: false, code: 'unknown_method', message: 'no' }
      },
      subscribe: (e: EventName, l: (p: unknown) => void) => {
        listeners.set(e, l)
        return () => listeners.delete(e)
      },
    }),
  )
  return { calls, emit: (e: EventName, p: unknown) => listeners.get(e)?.(p), finish: (r: Result<unknown>) => finish(r), listening: (e: EventName) => listeners.has(e) }
}

beforeEach(() => useAppStore.setState(initialAppState, true))
const projector = () => useAppStore.getState().explain.projector

describe('projector actions', () => {
  it('shows progress, then the map; hover fetches the sample once; click explains it as a prediction row', async () => {
    const api = fakeApi()
    const opened = openProjector(1, 3, 'test')
    expect(projector()).toMatchObject({ busy: true, layer: null, result: null })
    const progress: ProjectionProgress = { runId: 1, checkpointId: 3, split: 'test', layer: null, phase: 'neighbours', done: 40, total: 100 }
    api.emit('projection.progress', progress)
    // Another layer's progress is not this map's.
    api.emit('projection.progress', { ...progress, layer: 'dense_2', done: 99 })
    expect(projector()!.progress).toEqual(progress)
    api.finish({ ok: true, value: map })
    await opened
    expect(projector()).toMatchObject({ busy: false, progress: null, result: map })
    expect(api.listening('projection.progress')).toBe(false)
    await hoverPoint(1)
    expect(projector()!.hover).toEqual({ index: 1, input: { kind: 'tabular', values: [{ column: 'ear', value: 'pointy' }] } })
    await hoverPoint(null)
    await hoverPoint(1)
    expect(api.calls.filter(([m]) => m === 'runs.sampleInputs')).toEqual([['runs.sampleInputs', { runId: 1, rowIndexes: [11] }]])
    await openPoint(1)
    expect(useAppStore.getState().explain.sample).toMatchObject({ runId: 1, checkpointId: 3, split: 'test', row: { rowIndex: 11, truth: 'dog', predicted: 'cat', correct: false } })
  })

  it('cancels the running projection and says nothing was stored', async () => {
    const api = fakeApi()
    const opened = openProjector(1, 3, 'test', 'dense_1')
    await cancelProjector()
    expect(api.calls.at(-1)).toEqual(['runs.cancelProjection', { runId: 1, checkpointId: 3, split: 'test', layer: 'dense_1' }])
    api.finish({ ok: false, code: 'cancelled', message: 'cancelled' })
    await opened
    expect(projector()).toMatchObject({ busy: false, result: null, error: 'Cancelled: nothing was stored.' })
    // Asking for another layer while one runs stops the running one.
    void openProjector(1, 3, 'test', 'dense_1')
    void openProjector(1, 3, 'test', 'dense_2')
    await Promise.resolve()
    expect(api.calls.filter(([m]) => m === 'runs.cancelProjection').at(-1)).toEqual(['runs.cancelProjection', { runId: 1, checkpointId: 3, split: 'test', layer: 'dense_1' }])
    expect(projector()).toMatchObject({ layer: 'dense_2', busy: true })
  })

  it('turns a map point into the prediction row the Explain panel opens', () => {
    expect(pointRow(map, 0, { kind: 'tabular', values: [] })).toEqual({ rowIndex: 10, truth: 'cat', predicted: 'cat', confidence: 0.9, correct: true, error: null, input: { kind: 'tabular', values: [] } })
  })
})
