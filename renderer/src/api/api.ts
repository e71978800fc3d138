import { buildApi, type WorkbenchApi } from '../../../common/contract'
import { createWsTransport } from './wsTransport'

let api: WorkbenchApi | null = null

/** The contract API: Electron's preload bridge when present, else the browser host's WebSocket. */
export function getApi(): WorkbenchApi {
  if (!api) api = window.workbench ?? buildApi(createWsTransport())
  return api
}

/** Replaces the API (tests). */
export function setApi(next: WorkbenchApi | null): void {
  api = next
}
