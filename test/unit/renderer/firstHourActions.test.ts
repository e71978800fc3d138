// Store actions behind the first-hour fixes: wire edits and their offers, the Runs form kept in the
// store and preselected after a save, and the preview's shared column widths.
import { beforeEach, describe, expect, it } from 'vitest'
import { buildApi, type ColumnInfo, type MethodName, type Result } from '../../../common/contract'
import type { ModelGraph } from '../../../common/graph'
import { setApi } from '../../../renderer/src/api/api'
import { previewColumnWidths } from '../../../renderer/src/datasets/PreviewTable'
import { initialAppState, useAppStore } from '../../../renderer/src/store'
import { acceptOffer, addLayer, addLayerIntoEdge, connectLayers, currentGraph, deleteElements, newModel, saveModel, undoEdit } from '../../../renderer/src/store/designerActions'
import { editRunDraft } from '../../../renderer/src/store/runsActions'

const d = () => useAppStore.getState().designer
const pairs = () => currentGraph().edges.map((e) => `${e.source}>${e.target}`)

beforeEach(() => useAppStore.setState(initialAppState, true))

describe('wire actions', () => {
  it('deletes a layer and a separate wire in one undo step', () => {
    const a = addLayer('Input', { x: 0, y: 0 })!
    const b = addLayer('Dense', { x: 0, y: 100 }, a)!
    const c = addLayer('Dense', { x: 0, y: 200 }, b)!
    const wire = currentGraph().edges.find((e) => e.source === a)!.id
    deleteElements([c], [wire])
    expect(currentGraph().nodes.map((n) => n.id)).toEqual([a, b])
    expect(currentGraph().edges).toEqual([])
    undoEdit()
    expect(pairs()).toEqual([`${a}>${b}`, `${b}>${c}`])
  })

  it('a palette layer dropped on a wire is spliced in and selected', () => {
    const a = addLayer('Input', { x: 0, y: 0 })!
    const b = addLayer('Dense', { x: 0, y: 100 }, a)!
    const id = addLayerIntoEdge('Dropout', { x: 0, y: 50 }, currentGraph().edges[0].id)!
    expect(pairs()).toEqual([`${a}>${id}`, `${id}>${b}`])
    expect(d().selection).toEqual([id])
    undoEdit()
    expect(pairs()).toEqual([`${a}>${b}`])
  })

  it('wiring a taken input offers the replacement instead of failing silently', () => {
    const a = addLayer('Input', { x: 0, y: 0 })!
    const b = addLayer('Dense', { x: 0, y: 100 }, a)!
    const c = addLayer('Dense', { x: 100, y: 100 }, a)!
    const t = addLayer('Dense', { x: 0, y: 200 }, b)!
    connectLayers(c, t)
    expect(d().message?.offer?.label).toMatch(/^Replace with/)
    expect(pairs()).toContain(`${b}>${t}`)
    acceptOffer()
    expect(pairs()).toContain(`${c}>${t}`)
    expect(pairs()).not.toContain(`${b}>${t}`)
    expect(d().message).toBeNull()
  })
})

describe('the new-run form in the store', () => {
  it('keeps edits, and a save preselects the saved model version', async () => {
    const answers: Partial<Record<MethodName, (input: unknown) => Result<unknown>>> = {
      'models.save': (input) => ({ ok: true, value: { modelId: 7, name: 'xor', versionId: 70, version: 1, graph: (input as { graph: ModelGraph }).graph, createdAt: 1, versions: [] } }),
      'models.list': () => ({ ok: true, value: [] }),
    }
    setApi(buildApi({ invoke: async (m, i) => answers[m]?.(i) ?? { ok: false, code: 'unknown_method', message: m }, subscribe: () => () => {} }))
    editRunDraft({ config: { ...useAppStore.getState().runs.draft.config, epochs: 3 } })
    newModel('and_xor_mlp', 'xor')
    expect(await saveModel()).toBe(true)
    expect(useAppStore.getState().runs.draft).toMatchObject({ modelId: 7, modelVersionId: 70, datasetVersionId: null, config: { epochs: 3 } })
  })
})

describe('preview column widths', () => {
  const col = (name: string, type: string) => ({ name, type }) as unknown as ColumnInfo
  it('one width per column from its header and values, clamped, the same for every row', () => {
    const header = ['a', 'precipitation', 'notes']
    const rows = [['1', '0.1', 'short'], ['2', '12.345678', 'x'.repeat(300)]]
    const w = previewColumnWidths(header, [col('a', 'integer'), col('precipitation', 'float'), col('notes', 'text')], rows)
    expect(w).toHaveLength(3)
    expect(w[0]).toBe(90)
    expect(w[1]).toBeGreaterThan(w[0])
    expect(w[2]).toBe(240)
  })
})
