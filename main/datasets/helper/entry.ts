/** Entry point of a dataset helper thread (out/main/datasetHelper.js): serves what spawn.ts's callers post. */
import { parentPort } from 'node:worker_threads'
import { readCsvPart, type CsvPartRequest } from '../csv/partWorker'
import type { ImageBatchRequest } from '../images/batch'

if (!parentPort) throw new Error('datasetHelper must run in a worker thread')
const port = parentPort
// Image batches run one at a time, in the order posted.
let images = Promise.resolve()
port.on('message', (m: CsvPartRequest | ImageBatchRequest | { type: 'hello' }) => {
  // 'hello' answers once this thread has loaded: a split read then knows where to cut (csv/splitRead.ts).
  if (m.type === 'hello') port.postMessage({ type: 'hello' })
  else if (m.type === 'csvPart') void readCsvPart(m, (msg, transfer) => port.postMessage(msg, transfer ?? []))
  else if (m.type === 'imageBatch') {
    images = images.then(async () => {
      try {
        // Loaded on first use: sharp (libvips) is a tenth of a second of the start of a split CSV read's helper otherwise.
        const { decodeBatch } = await import('../images/batch')
        const { result, transfer } = await decodeBatch(m)
        port.postMessage(result, transfer)
      } catch (e) {
        port.postMessage({ type: 'error', id: m.id, message: (e as Error).message })
      }
    })
  }
})
