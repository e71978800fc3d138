import { describe, expect, it } from 'vitest'
import { parseHostArgs } from '../../../main/host/args'

describe('parseHostArgs', () => {
  it('defaults to loopback and a free port', () => {
    expect(parseHostArgs([])).toEqual({ port: 0, host: '127.0.0.1', help: false })
  })
  it('reads flags in both --flag value and --flag=value forms', () => {
    expect(parseHostArgs(['--port', '8123', '--token=abc', '--data-dir', '/tmp/x'])).toMatchObject({ port: 8123, token: 'abc', dataDir: '/tmp/x' })
  })
  it('names the bad flag', () => {
    expect(() => parseHostArgs(['--port', '99999'])).toThrow('--port')
    expect(() => parseHostArgs(['--colour'])).toThrow('unknown option --colour')
    expect(() => parseHostArgs(['--token'])).toThrow('--token needs a value')
  })
})
