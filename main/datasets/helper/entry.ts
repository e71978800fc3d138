/** Entry point of a dataset helper thread (out/main/datasetHelper.js): serves what spawn.ts's callers post. */
import { parentPort } from 'node:worker_threads'
import { readCsvPart, type CsvPartRequest } from '../csv/partWorker'

if (!parentPort) throw new Error('datasetHelper must run in a worker thread')
const port = parentPort
port.on('message', (m: CsvPartRequest) => {
  if (m.type === 'csvPart') void readCsvPart(m, (msg, transfer) => port.postMessage(msg, transfer ?? []))
})
