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

  it('reads spilled chunks back into one reused, aligned buffer when asked', () => {
    const spool = new ChunkSpool(tempDir('nw-spool-'), 0)
    const blobs = [Buffer.alloc(64, 1), Buffer.alloc(96, 2), Buffer.alloc(32, 3)]
    for (const b of blobs) spool.add(1, b)
    const seen: { same: boolean; offset: number; buffer: ArrayBufferLike }[] = []
    let k = 0
    for (const c of spool.chunks(true)) {
      // Each chunk is whole while it is the current one.
      expect(c.data.equals(blobs[k++])).toBe(true)
      seen.push({ same: seen.length > 0 && c.data.buffer === seen[seen.length - 1].buffer, offset: c.data.byteOffset, buffer: c.data.buffer })
    }
    // The buffer grows for the larger second chunk, then is reused for the third.
    expect(seen.map((x) => [x.same, x.offset % 4])).toEqual([
      [false, 0],
      [false, 0],
      [true, 0],
    ])
    // Without reuse, every chunk has its own memory.
    const own = [...spool.chunks()]
    own.forEach((c, i) => expect(c.data.equals(blobs[i])).toBe(true))
    spool.dispose()
  })
})
