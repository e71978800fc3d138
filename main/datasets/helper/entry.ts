/** Entry point of an image-decoding helper thread (out/main/datasetHelper.js): decodes the batches images/batch.ts posts. */
import { parentPort } from 'node:worker_threads'
import { decodeBatch, type ImageBatchRequest } from '../images/batch'

if (!parentPort) throw new Error('datasetHelper must run in a worker thread')
const port = parentPort
// Image batches run one at a time, in the order posted.
let images = Promise.resolve()
port.on('message', (m: ImageBatchRequest) => {
  if (m.type !== 'imageBatch') return
  images = images.then(async () => {
    try {
      const { result, transfer } = await decodeBatch(m)
      port.postMessage(result, transfer)
    } catch (e) {
      port.postMessage({ type: 'error', id: m.id, message: (e as Error).message })
    }
  })
})
