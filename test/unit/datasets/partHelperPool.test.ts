// A split CSV read's helper thread started ahead of the read: the read takes it loaded, and a
// warmed import worker answers once it is.
import { describe, expect, it } from 'vitest'
import { takeCsvPartHelper, warmCsvPartHelper } from '../../../main/datasets/csv/partHelperPool'
import type { FromImportWorker, ToImportWorker } from '../../../main/datasets/importProtocol'
import { serveImport } from '../../../main/datasets/serveImport'

describe('the standby CSV part helper', () => {
  it('is taken loaded once warmed; without one, a new one is started', async () => {
    await warmCsvPartHelper()
    const warm = takeCsvPartHelper()
    expect(warm.ready).toBe(true)
    // It answers a read's hello like a new one (the read may ask again).
    const hello = await new Promise<unknown>((resolve) => {
      warm.worker.once('message', resolve)
      warm.worker.postMessage({ type: 'hello' })
    })
    expect(hello).toEqual({ type: 'hello' })
    const cold = takeCsvPartHelper()
    expect(cold.ready).toBe(false)
    expect(cold.worker).not.toBe(warm.worker)
    await Promise.all([warm.worker.terminate(), cold.worker.terminate()])
  })

  it("an import worker answers 'warm' once its helper has loaded", async () => {
    let listener: (msg: ToImportWorker) => void = () => {}
    const answered = new Promise<FromImportWorker>((resolve) =>
      serveImport({ postMessage: resolve, on: (_event, l) => (listener = l) }),
    )
    listener({ type: 'warm' })
    expect(await answered).toEqual({ type: 'warm' })
    const taken = takeCsvPartHelper()
    expect(taken.ready).toBe(true)
    await taken.worker.terminate()
  })
})
