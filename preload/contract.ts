/**
 * The one API contract between the renderer and the core: every request (its input schema and
 * output type) and every event. Both transports (Electron IPC via preload, WebSocket via the
 * browser host) implement it, and main validates every inbound payload against these schemas
 * before a service sees it. Keep this file free of Node and Electron imports: all three builds use it.
 */
import { z } from 'zod'
import { LAYER_TYPES, type ModelGraph } from '../main/graph/types'

/** Largest request payload (serialized) that main accepts; larger ones get `payload_too_large`. */
export const MAX_REQUEST_BYTES = 1024 * 1024

/** Keys refused anywhere in a payload, so no handler can be tricked into prototype pollution. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype']

/** Why a request failed; travels as data. */
export type ErrorCode =
  | 'unknown_method'
  | 'invalid_input'
  | 'payload_too_large'
  | 'forbidden_key'
  | 'not_found'
  | 'conflict'
  | 'unavailable'
  | 'db_corrupt'
  | 'db_too_new'
  | 'db_foreign'
  | 'db_migration_failed'
  | 'internal'

/** A request's outcome: errors are values, never thrown across the bridge. */
export type Result<T> =
  | { ok: true; value: T }
  | { ok: false; code: ErrorCode; message: string; details?: unknown }

// ---- shared shapes ---------------------------------------------------------------------------

/** The app's sections, in the order the sidebar shows them. */
export const SECTIONS = ['datasets', 'designer', 'runs', 'compare'] as const
/** One of the four sections. */
export type Section = (typeof SECTIONS)[number]

/** Settings a person can change; every field has a default. */
export const settingsSchema = z
  .object({
    theme: z.enum(['system', 'light', 'dark']),
    runConcurrency: z.number().int().min(1).max(8),
    confirmDeletes: z.boolean(),
  })
  .strict()
/** The app settings. */
export type Settings = z.infer<typeof settingsSchema>

/** One training backend the ladder considered, and why it is or is not usable here. */
export interface BackendCandidate {
  name: 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu'
  packageName: string
  available: boolean
  reason: string
}

/** Which backend training would use now, and the whole ladder with reasons. */
export interface BackendReport {
  chosen: BackendCandidate['name']
  summary: string
  candidates: BackendCandidate[]
}

/** What the status bar and system panel show. */
export interface SystemStatus {
  appVersion: string
  transport: 'electron' | 'browser'
  platform: string
  nodeVersion: string
  dataDir: string
  dbPath: string
  schemaVersion: number
  backend: BackendReport
}

/** A recently touched item of a section, for the empty-state and sidebar lists. */
export interface RecentItem {
  id: number
  name: string
  detail: string
  updatedAt: number
}

/** A saved model with its newest version. */
export interface ModelSummary {
  id: number
  name: string
  latestVersion: number
  versionCount: number
  updatedAt: number
  layers: number
  trainableParams: number
}

/** What a saved version records about its graph, computed in main at save time. */
export interface GraphSummary {
  layers: number
  trainableParams: number
  nonTrainableParams: number
  macs: number
  errors: number
  warnings: number
}

/** One saved version of a model. */
export interface ModelVersionInfo {
  versionId: number
  version: number
  createdAt: number
  summary: GraphSummary
}

/** A model version with its graph, as the Designer opens it. */
export interface ModelDetail {
  modelId: number
  name: string
  versionId: number
  version: number
  graph: ModelGraph
  createdAt: number
  versions: ModelVersionInfo[]
}

/** Runtime schema of a designer graph (structure only; layer semantics are checked by main/graph). */
export const graphSchema = z
  .object({
    formatVersion: z.literal(1),
    nodes: z
      .array(
        z
          .object({
            id: z.string().min(1).max(64),
            type: z.enum(LAYER_TYPES),
            name: z.string().min(1).max(128),
            params: z.record(z.string(), z.unknown()),
            position: z.object({ x: z.number().finite(), y: z.number().finite() }).strict(),
          })
          .strict(),
      )
      .max(5000),
    edges: z
      .array(
        z
          .object({
            id: z.string().min(1).max(64),
            source: z.string().min(1).max(64),
            target: z.string().min(1).max(64),
            targetIndex: z.number().int().min(0).optional(),
          })
          .strict(),
      )
      .max(20000),
  })
  .strict()

const id = z.number().int().positive()
const modelName = z.string().trim().min(1, 'a model needs a name').max(120)

// ---- requests --------------------------------------------------------------------------------

const empty = z.object({}).strict()

const recentListInput = z
  .object({ section: z.enum(SECTIONS), limit: z.number().int().min(1).max(50).default(10) })
  .strict()

/** Declares a request: its output type first, then its input schema (inferred). */
function request<O>() {
  return <I extends z.ZodType>(input: I): { input: I; output: O } => ({ input, output: undefined as O })
}

/** Every request main answers, by name `namespace.verb`. */
export const requests = {
  'system.status': request<SystemStatus>()(empty),
  'settings.get': request<Settings>()(empty),
  'settings.update': request<Settings>()(settingsSchema.partial()),
  'recent.list': request<RecentItem[]>()(recentListInput),
  'models.list': request<ModelSummary[]>()(empty),
  'models.get': request<ModelDetail>()(z.object({ modelId: id, version: z.number().int().positive().optional() }).strict()),
  'models.save': request<ModelDetail>()(z.object({ modelId: id.optional(), name: modelName, graph: graphSchema }).strict()),
  'models.rename': request<ModelSummary>()(z.object({ modelId: id, name: modelName }).strict()),
  'models.delete': request<{ deleted: number }>()(z.object({ modelId: id }).strict()),
} as const

/** A request name. */
export type MethodName = keyof typeof requests
/** What the caller sends for a request (defaults may be omitted). */
export type Input<M extends MethodName> = z.input<(typeof requests)[M]['input']>
/** What the handler receives after validation (defaults filled in). */
export type ParsedInput<M extends MethodName> = z.output<(typeof requests)[M]['input']>
/** What a request returns on success. */
export type Output<M extends MethodName> = (typeof requests)[M]['output']

/** Every request name, for transports that register one channel per request. */
export const METHOD_NAMES = Object.keys(requests) as MethodName[]

// ---- events ----------------------------------------------------------------------------------

/** Every event the core emits, with its payload type. */
export interface EventMap {
  'settings.changed': Settings
}
/** An event name. */
export type EventName = keyof EventMap
/** Every event name, so subscriptions can be whitelisted at runtime. */
export const EVENT_NAMES: readonly EventName[] = ['settings.changed']

// ---- the API object the renderer sees ----------------------------------------------------------

type Namespace = MethodName extends `${infer NS}.${string}` ? NS : never

/** `window.workbench`: one async function per request, grouped by namespace, plus typed event subscription. */
export type WorkbenchApi = {
  [NS in Namespace]: {
    [M in MethodName as M extends `${NS}.${infer Verb}` ? Verb : never]: (input: Input<M>) => Promise<Result<Output<M>>>
  }
} & {
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void
}

/** The two things a transport supplies; `buildApi` turns them into the typed API object. */
export interface Transport {
  invoke(method: MethodName, input: unknown): Promise<Result<unknown>>
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void
}

/** Builds the API object from a transport: exactly the contract's methods and events, nothing generic. */
export function buildApi(transport: Transport): WorkbenchApi {
  const api: Record<string, unknown> = {}
  for (const method of METHOD_NAMES) {
    const [ns, verb] = method.split('.') as [string, string]
    const group = (api[ns] ??= {}) as Record<string, unknown>
    group[verb] = (input: unknown) => transport.invoke(method, input ?? {})
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!EVENT_NAMES.includes(event)) throw new Error(`Unknown event "${String(event)}"`)
    return transport.subscribe(event, listener)
  }
  return api as WorkbenchApi
}
