import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../../main/core/createCore'
import { buildTemplate } from '../../../common/graph'
import type { ModelDetail, Result } from '../../../common/contract'
import { testCore } from '../../helpers/core'

let core: Core
afterEach(() => core?.close())

const ok = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`)
  return r.value as T
}

describe('models service', () => {
  it('saves every save as a new version with its inferred summary, and opens any version', async () => {
    core = testCore()
    const mnist = buildTemplate('mnist_cnn')
    const v1 = ok<ModelDetail>(await core.call('models.save', { name: 'cnn', graph: mnist }))
    expect(v1).toMatchObject({ version: 1, name: 'cnn' })
    expect(v1.versions[0].summary).toMatchObject({ layers: 6, trainableParams: 693962, errors: 0 })
    const smaller = { ...mnist, nodes: mnist.nodes.map((n) => (n.name === 'dense_1' ? { ...n, params: { ...n.params, units: 64 } } : n)) }
    const v2 = ok<ModelDetail>(await core.call('models.save', { modelId: v1.modelId, name: 'cnn', graph: smaller }))
    expect(v2.version).toBe(2)
    expect(v2.versions.map((v) => v.version)).toEqual([2, 1])
    expect(ok<ModelDetail>(await core.call('models.get', { modelId: v1.modelId, version: 1 })).graph).toEqual(mnist)
    expect(ok<ModelDetail>(await core.call('models.get', { modelId: v1.modelId })).graph).toEqual(smaller)
    expect(ok<{ latestVersion: number; versionCount: number }[]>(await core.call('models.list', {}))).toMatchObject([{ name: 'cnn', latestVersion: 2, versionCount: 2 }])
  })

  it('saves work in progress with errors, recording the error count', async () => {
    core = testCore()
    const graph = buildTemplate('mnist_cnn')
    const broken = { ...graph, edges: graph.edges.filter((e) => !e.target.includes(graph.nodes.find((n) => n.type === 'Flatten')!.id)) }
    const v = ok<ModelDetail>(await core.call('models.save', { name: 'wip', graph: broken }))
    expect(v.versions[0].summary.errors).toBeGreaterThan(0)
  })

  it('refuses malformed graphs and names the field', async () => {
    core = testCore()
    const bad = { formatVersion: 1, nodes: [{ id: 'a', type: 'Teleporter', name: 'x', params: {}, position: { x: 0, y: 0 } }], edges: [] }
    const r = await core.call('models.save', { name: 'bad', graph: bad })
    expect(r).toMatchObject({ ok: false, code: 'invalid_input' })
    if (!r.ok) expect(r.message).toContain('graph.nodes.0.type')
    expect(await core.call('models.save', { name: '   ', graph: buildTemplate('and_xor_mlp') })).toMatchObject({ ok: false, code: 'invalid_input' })
    expect(ok<unknown[]>(await core.call('models.list', {}))).toEqual([])
  })

  it('renames, refuses to delete a model a run uses, and deletes it with its versions otherwise', async () => {
    core = testCore()
    const m = ok<ModelDetail>(await core.call('models.save', { name: 'a', graph: buildTemplate('and_xor_mlp') }))
    expect(ok<{ name: string }>(await core.call('models.rename', { modelId: m.modelId, name: 'b' })).name).toBe('b')
    core.db.prepare("INSERT INTO runs (name, model_version_id, created_at) VALUES ('r', ?, 1)").run(m.versionId)
    expect(await core.call('models.delete', { modelId: m.modelId })).toMatchObject({ ok: false, code: 'conflict' })
    core.db.prepare('DELETE FROM runs').run()
    expect(await core.call('models.delete', { modelId: m.modelId })).toEqual({ ok: true, value: { deleted: 1 } })
    expect(core.db.prepare('SELECT count(*) AS n FROM model_versions').get()).toEqual({ n: 0 })
    expect(await core.call('models.get', { modelId: m.modelId })).toMatchObject({ ok: false, code: 'not_found' })
  })
})
