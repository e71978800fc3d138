import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Uploads } from '../../../main/system/uploads'
import { tempDir } from '../../helpers/tmp'

const b64 = (s: string) => Buffer.from(s).toString('base64')

describe('Uploads', () => {
  it('writes a single file from in-order pieces and returns its path', async () => {
    const up = new Uploads(tempDir())
    const { uploadId } = await up.begin()
    await up.append(uploadId, 'data.csv', 8, 0, b64('a,b\n'))
    await up.append(uploadId, 'data.csv', 8, 4, b64('1,2\n'))
    const done = await up.finish(uploadId)
    expect(done).toMatchObject({ files: 1, bytes: 8 })
    expect(readFileSync(done.path, 'utf8')).toBe('a,b\n1,2\n')
  })

  it('keeps a dropped folder layout and returns the folder', async () => {
    const up = new Uploads(tempDir())
    const { uploadId } = await up.begin()
    await up.append(uploadId, 'pets/cat/1.png', 1, 0, b64('x'))
    await up.append(uploadId, 'pets/dog/1.png', 1, 0, b64('y'))
    const done = await up.finish(uploadId)
    expect(done.path.endsWith(join(uploadId, 'pets'))).toBe(true)
    expect(readFileSync(join(done.path, 'dog', '1.png'), 'utf8')).toBe('y')
  })

  it('refuses paths that climb out, pieces out of order, extra bytes and unknown sessions', async () => {
    const up = new Uploads(tempDir())
    const { uploadId } = await up.begin()
    await expect(up.append(uploadId, '../../etc/passwd', 1, 0, b64('x'))).rejects.toThrow('Refused upload path')
    await up.append(uploadId, 'f.csv', 4, 0, b64('ab'))
    await expect(up.append(uploadId, 'f.csv', 4, 3, b64('c'))).rejects.toThrow('expected the piece at byte 2')
    await expect(up.append(uploadId, 'f.csv', 4, 2, b64('cde'))).rejects.toThrow('more bytes than its declared size')
    await expect(up.finish(uploadId)).rejects.toThrow('arrived incomplete')
    await expect(up.append('nope', 'f.csv', 1, 0, b64('x'))).rejects.toThrow('is not open')
  })
})
