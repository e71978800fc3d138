import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readChunks } from '../../../main/datasets/chunks/read'
import { importCsv } from '../../../main/datasets/csv/import'
import { SplitPlan, splitCounts } from '../../../common/datasets/split'
import { nextRandomState, randomOfState, seededRandom, shuffleInPlace } from '../../../common/datasets/prng'
import { tempFile, tempStore } from './support'

const SPEC = { train: 0.7, validation: 0.2, test: 0.1, seed: 11, stratify: true }

function run(sizes: number[], seed = 11): { per: number[][]; order: number[] } {
  const plan = new SplitPlan(sizes, { ...SPEC, seed })
  const per = sizes.map(() => [0, 0, 0])
  const order: number[] = []
  sizes.forEach((n, s) => {
    for (let k = 0; k < n; k++) {
      const code = plan.assign(s)
      per[s][code]++
      order.push(code)
    }
  })
  return { per, order }
}

describe('splits', () => {
  it('rounds exactly (largest remainder) and keeps a training row for every non-empty group', () => {
    expect(splitCounts(10, SPEC)).toEqual([7, 2, 1])
    expect(splitCounts(1000, SPEC)).toEqual([700, 200, 100])
    expect(splitCounts(7, SPEC)).toEqual([5, 1, 1])
    expect(splitCounts(1, SPEC)).toEqual([1, 0, 0])
    expect(splitCounts(1, { train: 0.1, validation: 0.9, test: 0 })).toEqual([1, 0, 0])
    expect(splitCounts(0, SPEC)).toEqual([0, 0, 0])
    expect(splitCounts(9, { train: 1, validation: 1, test: 1 })).toEqual([3, 3, 3])
  })

  it('keeps each class in proportion, exactly per stratum', () => {
    const sizes = [1000, 300, 50, 7]
    const { per } = run(sizes)
    expect(per).toEqual(sizes.map((n) => splitCounts(n, SPEC)))
    expect(per[0]).toEqual([700, 200, 100])
    expect(per[2]).toEqual([35, 10, 5])
  })

  it('is the same for the same seed, different for another, and shuffled within a class', () => {
    const a = run([500, 500]).order
    expect(run([500, 500]).order).toEqual(a)
    expect(run([500, 500], 12).order).not.toEqual(a)
    // Not a block of training rows followed by the rest.
    expect(a.slice(0, 350).filter((c) => c === 0).length).toBeLessThan(300)
  })

  it('assigns a chunk of rows at once exactly as row by row, across chunks and strata', () => {
    const sizes = [40, 700, 3, 257]
    const strata: number[] = []
    sizes.forEach((n, s) => {
      for (let k = 0; k < n; k++) strata.push(s)
    })
    // Classes interleaved in a fixed, irregular order, as rows of a file are.
    const random = seededRandom(5)
    const order = shuffleInPlace(Int32Array.from(strata), random)
    const one = new SplitPlan(sizes, { ...SPEC, seed: 9 })
    const expected = Array.from(order, (s) => one.assign(s))
    const many = new SplitPlan(sizes, { ...SPEC, seed: 9 })
    const got: number[] = []
    const out = new Uint8Array(300)
    let trains = 0
    for (let at = 0; at < order.length; at += 300) {
      const chunk = order.subarray(at, at + 300)
      trains += many.assignRows(chunk, chunk.length, out)
      got.push(...out.subarray(0, chunk.length))
    }
    expect(got).toEqual(expected)
    expect(many.counts).toEqual(one.counts)
    expect(many.perStratum).toEqual(one.perStratum)
    expect(trains).toBe(expected.filter((c) => c === 0).length)
    expect(many.counts[0] + many.counts[1] + many.counts[2]).toBe(order.length)
  })

  it('stratifies an import by the target class', async () => {
    const db = tempStore()
    const path = tempFile('imbalanced.csv')
    const lines = ['x,y']
    // 900 'common', 90 'rare', 10 'tiny', interleaved.
    for (let i = 0; i < 1000; i++) lines.push(`${(i * 7919) % 1000},${i % 100 === 0 ? 'tiny' : i % 11 === 0 ? 'rare' : 'common'}`)
    writeFileSync(path, lines.join('\n'))
    const r = await importCsv(db, path, { split: { train: 0.6, validation: 0.2, test: 0.2, seed: 3 } })
    expect(r.split.stratifiedBy).toBe('y')
    const counts: Record<string, number> = {}
    for (const l of lines.slice(1)) counts[l.split(',')[1]] = (counts[l.split(',')[1]] ?? 0) + 1
    for (const [cls, n] of Object.entries(counts)) {
      expect(r.split.perClass?.[cls]).toEqual(splitCounts(n, { train: 0.6, validation: 0.2, test: 0.2 }))
    }
    const classes = r.recipe.target?.classes as string[]
    for (const split of ['train', 'validation', 'test'] as const) {
      const got: Record<string, number> = {}
      for (const b of readChunks(db, r.versionId, split)) for (const l of b.labels) got[classes[l]] = (got[classes[l]] ?? 0) + 1
      const k = split === 'train' ? 0 : split === 'validation' ? 1 : 2
      for (const [cls, n] of Object.entries(counts)) expect(got[cls] ?? 0, `${split} ${cls}`).toBe(splitCounts(n, { train: 0.6, validation: 0.2, test: 0.2 })[k])
    }
  })

  it('does not stratify when told not to', async () => {
    const db = tempStore()
    const path = tempFile('plain.csv')
    writeFileSync(path, 'x,y\n' + Array.from({ length: 100 }, (_, i) => `${i * 3},${i % 2 ? 'a' : 'b'}`).join('\n'))
    const r = await importCsv(db, path, { split: { stratify: false } })
    expect(r.split).toMatchObject({ stratifiedBy: null, counts: { train: 80, validation: 10, test: 10 } })
    expect(r.split.perClass).toBeUndefined()
  })

  it('draws the generator\'s numbers from a state a loop keeps itself', () => {
    const random = seededRandom(0x5bd1e995)
    let state = 0x5bd1e995 >>> 0
    for (let i = 0; i < 1000; i++) {
      state = nextRandomState(state)
      expect(randomOfState(state)).toBe(random())
    }
  })
})
