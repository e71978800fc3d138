import { beforeEach, describe, expect, it } from 'vitest'
import { buildApi, type MethodName, type Result } from '../../../common/contract'
import { inferGraph, type ModelGraph } from '../../../common/graph'
import { setApi } from '../../../renderer/src/api/api'
import { initialAppState, useAppStore } from '../../../renderer/src/store'
import {
  addLayer,
  copySelection,
  currentGraph,
  deleteSelection,
  edit,
  exportTfjsText,
  importTfjsText,
  insertBetween,
  isDirty,
  newModel,
  pasteClipboard,
  saveModel,
  select,
  undoEdit,
} from '../../../renderer/src/store/designerActions'

const d = () => useAppStore.getState().designer
const byType = (g: ModelGraph, type: string) => g.nodes.filter((n) => n.type === type)

beforeEach(() => useAppStore.setState(initialAppState, true))

describe('designer actions', () => {
  it('inserts Flatten between a conv and a Dense as one undo step, clearing E007', () => {
    const input = addLayer('Input', { x: 0, y: 0 })!
    edit({ kind: 'updateParams', id: input, params: { shape: [8, 8, 1] } })
    const conv = addLayer('Conv2D', { x: 0, y: 100 }, input)!
    const dense = addLayer('Dense', { x: 0, y: 200 }, conv)!
    expect(inferGraph(currentGraph()).issues.map((i) => i.code)).toContain('E007')
    expect(insertBetween('Flatten', conv, dense)).toBe(true)
    const g = currentGraph()
    expect(inferGraph(g).issues.filter((i) => i.severity === 'error')).toEqual([])
    expect(byType(g, 'Flatten')).toHaveLength(1)
    undoEdit()
    expect(byType(currentGraph(), 'Flatten')).toHaveLength(0)
    expect(currentGraph().edges).toHaveLength(2)
  })

  it('refuses a cycle with a message and leaves the graph as it was', () => {
    const a = addLayer('Input', { x: 0, y: 0 })!
    const b = addLayer('Dense', { x: 0, y: 100 }, a)!
    const c = addLayer('Dense', { x: 0, y: 200 }, b)!
    const before = currentGraph()
    expect(edit({ kind: 'connect', source: c, target: b })).toBe(false)
    expect(currentGraph()).toBe(before)
    expect(d().message?.kind).toBe('error')
  })

  it('copies and pastes the selection with fresh names, and deletes a selection', () => {
    newModel('and_xor_mlp')
    const dense = byType(currentGraph(), 'Dense').map((n) => n.id)
    select(dense)
    copySelection()
    pasteClipboard()
    const names = byType(currentGraph(), 'Dense').map((n) => n.name)
    expect(names).toHaveLength(4)
    expect(new Set(names).size).toBe(4)
    expect(d().selection).toHaveLength(2)
    deleteSelection()
    expect(byType(currentGraph(), 'Dense')).toHaveLength(2)
  })

  it('round-trips the canvas through TF.js JSON export and import', () => {
    newModel('cifar10_cnn')
    const before = currentGraph()
    const exported = exportTfjsText()
    expect(exported.ok).toBe(true)
    newModel()
    importTfjsText(exported.ok ? exported.text : '', 'model.json')
    const after = currentGraph()
    expect(after.nodes.map((n) => [n.type, n.name, n.params])).toEqual(before.nodes.map((n) => [n.type, n.name, n.params]))
    importTfjsText('{"modelTopology": 3', 'broken.json')
    expect(d().message?.text).toMatch(/^broken\.json is not valid JSON/)
  })

  it('saves through the API and tracks unsaved changes', async () => {
    const saved: unknown[] = []
    const answers: Partial<Record<MethodName, (input: unknown) => Result<unknown>>> = {
      'models.save': (input) => {
        saved.push(input)
        return { ok: true, value: { modelId: 7, name: 'xor', versionId: 70, version: 1, graph: (input as { graph: ModelGraph }).graph, createdAt: 1, versions: [] } }
      },
      'models.list': () => ({ ok: true, value: [] }),
    }
    setApi(buildApi({ invoke: async (m, i) => answers[m]?.(i) ?? { ok: false, code: 'unknown_method', message: m }, subscribe: () => () => {} }))
    newModel('and_xor_mlp', 'xor')
    expect(isDirty(d())).toBe(true)
    expect(await saveModel()).toBe(true)
    expect(saved).toHaveLength(1)
    expect(d()).toMatchObject({ modelId: 7, savedVersion: 1 })
    expect(isDirty(d())).toBe(false)
    edit({ kind: 'moveNodes', moves: [{ id: currentGraph().nodes[0].id, position: { x: 5, y: 5 } }] })
    expect(isDirty(d())).toBe(true)
  })
})
