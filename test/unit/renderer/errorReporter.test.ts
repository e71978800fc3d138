import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildApi, type MethodName, type Result } from '../../../common/contract'
import { setApi } from '../../../renderer/src/api/api'
import { initialAppState, useAppStore } from '../../../renderer/src/store'
import { loadRecent } from '../../../renderer/src/store/actions'
import { loadFacets } from '../../../renderer/src/store/compareActions'
import { loadModels } from '../../../renderer/src/store/designerActions'
import { dismissError, failureField, MAX_REPORTED_ERRORS, reportFailure } from '../../../renderer/src/store/reportError'
import { loadRuns } from '../../../renderer/src/store/runsActions'

/** An API whose every call fails with the given result, recording the methods called. */
function failingApi(failure: Extract<Result<unknown>, { ok: false }>) {
  const called: MethodName[] = []
  setApi(
    buildApi({
      invoke: async (method: MethodName) => {
        called.push(method)
        return failure
      },
      subscribe: () => () => {},
    }),
  )
  return called
}

beforeEach(() => useAppStore.setState(initialAppState, true))
afterEach(() => setApi(null))

describe('the renderer error reporter', () => {
  it('a failed call that used to be dropped (the runs list) reaches the reporter with its code, message and field', async () => {
    const damaged = { table: 'runs', rowId: 7, column: 'config_json', field: 'learningRate' }
    const called = failingApi({ ok: false, code: 'db_corrupt', message: 'The stored data is damaged at runs row 7.', details: damaged })
    await loadRuns()
    expect(called).toEqual(['runs.recent'])
    expect(useAppStore.getState().errors).toMatchObject([{ action: 'Loading runs', code: 'db_corrupt', message: 'The stored data is damaged at runs row 7.', field: 'learningRate' }])
    expect(useAppStore.getState().runs.list).toEqual([])
  })

  it('every converted loader reports its failure, each once however often it repeats', async () => {
    failingApi({ ok: false, code: 'unavailable', message: 'The connection to the workbench host was lost.' })
    await loadRecent('runs')
    await loadFacets()
    await loadModels()
    await loadModels()
    const errors = useAppStore.getState().errors
    expect(errors.map((e) => e.action)).toEqual(['Loading recent items', 'Loading the filter choices', 'Loading saved models'])
    expect(errors.every((e) => e.code === 'unavailable' && e.field === null)).toBe(true)
  })

  it('keeps the newest few reports, and a dismissed one goes away', () => {
    for (let i = 0; i < MAX_REPORTED_ERRORS + 2; i++) reportFailure(`Step ${i}`, { code: 'internal', message: `m${i}` })
    const errors = useAppStore.getState().errors
    expect(errors).toHaveLength(MAX_REPORTED_ERRORS)
    expect(errors[0]!.action).toBe('Step 2')
    dismissError(errors[0]!.id)
    expect(useAppStore.getState().errors.map((e) => e.action)).not.toContain('Step 2')
    expect(useAppStore.getState().errors).toHaveLength(MAX_REPORTED_ERRORS - 1)
  })

  it('names the field from each shape of details main sends', () => {
    expect(failureField([{ field: 'runId', message: 'Expected number' }])).toBe('runId') // zod issues (invalid_input)
    expect(failureField({ column: 'val_loss', token: '<<' })).toBe('val_loss') // invalid_filter
    expect(failureField({ fields: [{ column: 'age', message: 'not a number' }] })).toBe('age') // a try-it row
    expect(failureField({ table: 'runs', rowId: 3, column: 'tags_json', field: 'tags' })).toBe('tags') // a damaged cell: the field inside it
    expect(failureField(undefined)).toBeNull()
    expect(failureField({ cancelled: true })).toBeNull()
  })
})
