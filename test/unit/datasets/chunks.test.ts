import { describe, expect, it } from 'vitest'
import { CHUNK_HEADER_BYTES, decodeChunk, encodeImageChunk, encodeTabularChunk, TextColumn } from '../../../main/datasets/chunks/format'

describe('chunk format', () => {
  it('round-trips a tabular chunk: split codes, float32 columns and int32 codes, 4-byte aligned', () => {
    const split = Uint8Array.from([0, 1, 2, 0, 0])
    const a = Float32Array.from([1.5, NaN, -3, 0, 1e-7])
    const b = Int32Array.from([2, -1, 0, 1, 1])
    const blob = encodeTabularChunk(5, split, [a, b])
    expect(blob.length).toBe(CHUNK_HEADER_BYTES + 8 + 2 * 5 * 4)
    expect(blob.subarray(0, 4).toString('latin1')).toBe('NWC1')
    const v = decodeChunk(blob, ['f32', 'i32'])
    expect(v).toMatchObject({ kind: 1, rows: 5 })
    expect(Array.from(v.split)).toEqual([0, 1, 2, 0, 0])
    expect(Array.from(v.columns[0])).toEqual(Array.from(a))
    expect(Array.from(v.columns[1])).toEqual([2, -1, 0, 1, 1])
  })

  it('round-trips a text column (offsets, UTF-8 bytes padded to 4) between value columns', () => {
    const texts = ['héllo wörld', '', 'a', '日本語']
    const blob = encodeTabularChunk(4, Uint8Array.from([0, 0, 1, 2]), [Float32Array.of(1, 2, 3, 4), new TextColumn(texts), Int32Array.of(0, 1, -1, 2)])
    const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0)
    expect(blob.length).toBe(CHUNK_HEADER_BYTES + 4 + 16 + 5 * 4 + ((bytes + 3) & ~3) + 16)
    const v = decodeChunk(blob, ['f32', 'text', 'i32'])
    const t = v.columns[1] as TextColumn
    expect(t).toBeInstanceOf(TextColumn)
    expect(t.texts).toEqual(texts)
    expect(Array.from(t)).toEqual([0, -1, 0, 0])
    expect(Array.from(v.columns[2])).toEqual([0, 1, -1, 2])
    expect(Array.from(v.columns[0])).toEqual([1, 2, 3, 4])
  })

  it('round-trips an image chunk and copies an unaligned blob once', () => {
    const pixels = Uint8Array.from({ length: 3 * 2 * 2 * 3 }, (_, i) => i)
    const blob = encodeImageChunk(3, Uint8Array.from([2, 0, 1]), Int32Array.from([4, 5, 6]), pixels, 2, 2, 3)
    const unaligned = new Uint8Array(blob.length + 1).subarray(1)
    unaligned.set(blob)
    const v = decodeChunk(unaligned)
    expect(v).toMatchObject({ kind: 2, rows: 3, height: 2, width: 2, channels: 3 })
    expect(Array.from(v.labels ?? [])).toEqual([4, 5, 6])
    expect(Array.from(v.pixels ?? [])).toEqual(Array.from(pixels))
  })

  it('refuses what is not a chunk, or a chunk that does not match the schema', () => {
    expect(() => decodeChunk(Buffer.from('definitely not a chunk, no sir'))).toThrow('not a dataset chunk')
    const blob = encodeTabularChunk(1, Uint8Array.of(0), [Float32Array.of(1)])
    expect(() => decodeChunk(blob, ['f32', 'f32'])).toThrow('chunk has 1 columns, the schema stores 2')
  })
})
