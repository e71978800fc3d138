import { beforeEach, describe, expect, it } from 'vitest'
import { buildApi, type EventName, type MethodName, type PredictionRow, type Result, type SampleExplanation } from '../../../common/contract'
import { setApi } from '../../../renderer/src/api/api'
import { initialAppState, useAppStore } from '../../../renderer/src/store'
import { changeExplanation, closeSample, loadImportance, openSample, setHeatmapOpacity } from '../../../renderer/src/store/explainActions'

function fakeApi(answers: Partial<Record<MethodName, (input: unknown) => Result<unknown>>>) {
  const calls: [string, unknown][] = []
  setApi(
    buildApi({
      invoke: async (method: MethodName, input: unknown) => {
        calls.push([method, input])
        return answers[method]?.(input) ?? { ok: false as const, code: 'unknown_method' as const, message: 'no' }
      },
      subscribe: (_e: EventName, _l: (p: unknown) => void) => () => {},
    }),
  )
  return calls
}

const row: PredictionRow = { rowIndex: 7, truth: 'a', predicted: 'b', confidence: 0.6, correct: false, error: null, input: { kind: 'tabular', values: [] } }
const answer = (classIndex: number): SampleExplanation => ({
  rowIndex: 7,
  checkpointId: 3,
  classes: ['a', 'b'],
  probabilities: [0.4, 0.6],
  classIndex,
  method: 'gradients',
  gradCam: null,
  pixels: null,
  columns: [{ column: 'x', value: 1 }],
  completeness: null,
  cached: false,
})

beforeEach(() => useAppStore.setState(initialAppState, true))

describe('explain actions', () => {
  it('opens a sample for its predicted class, then another class or method, and closes it', async () => {
    const calls = fakeApi({ 'runs.explainSample': (i) => ({ ok: true, value: answer((i as { classIndex?: number }).classIndex ?? 1) }) })
    await openSample(2, 3, 'test', row)
    expect(calls[0]).toEqual(['runs.explainSample', expect.objectContaining({ runId: 2, checkpointId: 3, split: 'test', rowIndex: 7, method: 'gradients' })])
    expect(calls[0][1]).not.toHaveProperty('classIndex')
    expect(useAppStore.getState().explain.sample).toMatchObject({ busy: false, error: null, result: { classIndex: 1 } })
    await changeExplanation({ classIndex: 0, method: 'integrated' })
    expect(calls[1][1]).toMatchObject({ classIndex: 0, method: 'integrated' })
    expect(useAppStore.getState().explain.sample?.result?.classIndex).toBe(0)
    setHeatmapOpacity(3)
    expect(useAppStore.getState().explain.opacity).toBe(1)
    closeSample()
    expect(useAppStore.getState().explain.sample).toBeNull()
  })

  it('shows a refusal as the error, and permutation importance as its result', async () => {
    fakeApi({
      'runs.explainSample': () => ({ ok: false, code: 'invalid_input', message: 'Saliency needs numeric inputs' }),
      'runs.permutationImportance': () => ({ ok: true, value: { runId: 2, checkpointId: 3, split: 'test', samples: 10, repeats: 5, metric: 'accuracy', baseline: 1, columns: [], cached: false } }),
    })
    await openSample(2, 3, 'test', row)
    expect(useAppStore.getState().explain.sample).toMatchObject({ busy: false, error: 'Saliency needs numeric inputs', result: null })
    await loadImportance(2, 3)
    expect(useAppStore.getState().explain.importance).toMatchObject({ busy: false, result: { baseline: 1 } })
  })
})
