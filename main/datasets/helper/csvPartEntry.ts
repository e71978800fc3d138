/** Entry point of a split CSV read's helper thread (out/main/csvPartHelper.js): reads the later part (csv/partWorker.ts). */
import { parentPort } from 'node:worker_threads'
import { readCsvPart, type CsvPartRequest } from '../csv/partWorker'

// Its own entry, apart from the image helper's: a split read waits for this thread to start, and
// loading sharp (libvips) with it would add a tenth of a second to every large CSV import.
if (!parentPort) throw new Error('csvPartHelper must run in a worker thread')
const port = parentPort
port.on('message', (m: CsvPartRequest | { type: 'hello' }) => {
  // 'hello' answers once this thread has loaded: a split read then knows where to cut (csv/splitRead.ts).
  if (m.type === 'hello') port.postMessage({ type: 'hello' })
  else if (m.type === 'csvPart') void readCsvPart(m, (msg, transfer) => port.postMessage(msg, transfer ?? []))
})
