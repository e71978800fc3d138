import { existsSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ChunkSpool } from '../../../main/datasets/spool'
import { tempDir } from '../../helpers/tmp'

describe('ChunkSpool', () => {
  it('keeps small imports in memory and spills past its limit to a temporary file it removes', () => {
    const dir = tempDir('nw-spool-')
    const spool = new ChunkSpool(dir, 1000)
    const blobs = Array.from({ length: 5 }, (_, k) => Buffer.alloc(400 + k, k + 1))
    spool.add(10, blobs[0])
    spool.add(10, blobs[1])
    expect(readdirSync(dir)).toEqual([])
    for (const b of blobs.slice(2)) spool.add(7, b)
    const made = readdirSync(dir)
    expect(made).toHaveLength(1)
    expect(made[0]).toMatch(/^\.nw-import-/)
    expect([spool.rows, spool.bytes]).toEqual([41, blobs.reduce((s, b) => s + b.length, 0)])
    const back = [...spool.chunks()]
    expect(back.map((c) => [c.seq, c.rowStart, c.rows])).toEqual([
      [0, 0, 10],
      [1, 10, 10],
      [2, 20, 7],
      [3, 27, 7],
      [4, 34, 7],
    ])
    back.forEach((c, k) => expect(c.data.equals(blobs[k])).toBe(true))
    spool.dispose()
    spool.dispose()
    expect(existsSync(`${dir}/${made[0]}`)).toBe(false)
  })
})
