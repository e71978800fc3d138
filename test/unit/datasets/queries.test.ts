import { describe, expect, it } from 'vitest'
import { importCsv } from '../../../main/datasets/csv/import'
import { deleteDataset, getDataset, getDatasetVersion, latestVersionId, listDatasets } from '../../../main/store/queries/datasets'
import { csvFixture, expectAppError, tableCounts, tempStore } from './support'

describe('dataset queries', () => {
  it('lists datasets newest first with versions, sizes and row counts', async () => {
    const db = tempStore()
    const a = await importCsv(db, csvFixture('basic.csv'), { name: 'people', note: 'first' })
    const b = await importCsv(db, csvFixture('tabs.tsv'))
    db.prepare('UPDATE datasets SET updated_at = updated_at + 1000 WHERE id = ?').run(b.datasetId)
    const list = listDatasets(db)
    expect(list.map((d) => [d.name, d.kind, d.note])).toEqual([
      ['tabs', 'tabular', ''],
      ['people', 'tabular', 'first'],
    ])
    expect(list[1].versions).toEqual([
      { id: a.versionId, version: 1, sourceName: 'basic.csv', sourceHash: a.sourceHash, rowCount: 4, byteSize: a.byteSize, createdAt: expect.any(Number) },
    ])
    expect(getDataset(db, a.datasetId)?.totalBytes).toBe(a.byteSize)
    expect(latestVersionId(db, a.datasetId)).toBe(a.versionId)
    expect(getDatasetVersion(db, a.versionId)).toMatchObject({ datasetName: 'people', kind: 'tabular', chunkCount: 1, augment: null })
    expect(getDatasetVersion(db, 999)).toBeNull()
    expect(getDataset(db, 999)).toBeNull()
  })

  it('deletes a dataset with its versions and chunks, in one go', async () => {
    const db = tempStore()
    const a = await importCsv(db, csvFixture('basic.csv'))
    await importCsv(db, csvFixture('basic.csv'), { datasetId: a.datasetId })
    const keep = await importCsv(db, csvFixture('tabs.tsv'))
    expect(deleteDataset(db, a.datasetId)).toEqual({ deleted: 1 })
    expect(tableCounts(db)).toMatchObject({ datasets: 1, dataset_versions: 1, dataset_chunks: 1 })
    expect(listDatasets(db).map((d) => d.id)).toEqual([keep.datasetId])
    await expectAppError(Promise.resolve().then(() => deleteDataset(db, a.datasetId)), 'not_found', `Dataset ${a.datasetId} does not exist`)
  })

  it('refuses to delete a dataset a run trained on', async () => {
    const db = tempStore()
    const a = await importCsv(db, csvFixture('basic.csv'))
    db.prepare("INSERT INTO runs (name, dataset_version_id, created_at) VALUES ('r1', ?, 1)").run(a.versionId)
    const before = tableCounts(db)
    await expectAppError(Promise.resolve().then(() => deleteDataset(db, a.datasetId)), 'conflict', 'Dataset "basic" is used by 1 run; delete it first.')
    expect(tableCounts(db)).toEqual(before)
  })
})
