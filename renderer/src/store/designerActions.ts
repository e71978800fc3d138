import {
  applyChange,
  bindingChanges,
  buildTemplate,
  commit,
  createHistory,
  createNode,
  dataShapeOf,
  describeBinding,
  emptyGraph,
  fromTfjs,
  layoutGraph,
  redo,
  replacingConnect,
  toTfjsJson,
  undo,
  type GraphChange,
  type LayerType,
  type ModelGraph,
  type Position,
  type TemplateName,
} from '../../../common/graph'
import type { DatasetVersionRecord } from '../../../common/contract'
import { getApi } from '../api/api'
import { preselectForRun } from './runsActions'
import { freshDesigner, type DesignerState } from './designerSlice'
import { useAppStore } from './index'
import { reportFailure } from './reportError'

const get = () => useAppStore.getState().designer
const patch = (p: Partial<DesignerState>) => useAppStore.setState((s) => ({ designer: { ...s.designer, ...p } }))

/** The graph on the canvas now. */
export const currentGraph = (): ModelGraph => get().history.present

/** Applies one edit as an undo step; a refused edit (a cycle, a duplicate name) shows its reason. */
export function edit(change: GraphChange, opts: { coalesce?: boolean } = {}): boolean {
  const { history, error } = commit(get().history, change, opts)
  if (error) {
    patch({ message: { kind: 'error', text: error } })
    return false
  }
  patch({ history, message: null })
  return true
}

/** Applies several edits as one undo step; all or nothing. */
export function editMany(changes: GraphChange[]): boolean {
  let graph = currentGraph()
  for (const change of changes) {
    const r = applyChange(graph, change)
    if (r.error) {
      patch({ message: { kind: 'error', text: r.error } })
      return false
    }
    graph = r.graph
  }
  return edit({ kind: 'replaceGraph', graph })
}

/** Steps back one edit. */
export function undoEdit(): void {
  patch({ history: undo(get().history), message: null })
}

/** Re-applies an undone edit. */
export function redoEdit(): void {
  patch({ history: redo(get().history), message: null })
}

/** Sets which layers are selected. */
export function select(ids: string[]): void {
  const cur = get().selection
  if (cur.length === ids.length && cur.every((id, i) => id === ids[i])) return
  patch({ selection: ids })
}

/** Adds a layer at a canvas position; with `connectFrom`, wires that layer into it. */
export function addLayer(type: LayerType, position: Position, connectFrom?: string): string | null {
  const node = createNode(currentGraph(), type, position)
  const changes: GraphChange[] = [{ kind: 'addNode', node }]
  if (connectFrom) changes.push({ kind: 'connect', source: connectFrom, target: node.id })
  if (!editMany(changes)) return null
  select([node.id])
  return node.id
}

/** Inserts a new layer of `type` on the connection between two layers (e.g. Flatten before Dense). */
export function insertBetween(type: LayerType, sourceId: string, targetId: string): boolean {
  const graph = currentGraph()
  const src = graph.nodes.find((n) => n.id === sourceId)
  const dst = graph.nodes.find((n) => n.id === targetId)
  const edgeRec = graph.edges.find((e) => e.source === sourceId && e.target === targetId)
  if (!src || !dst || !edgeRec) return false
  const node = createNode(graph, type, { x: (src.position.x + dst.position.x) / 2, y: (src.position.y + dst.position.y) / 2 })
  return editMany([
    { kind: 'disconnect', edgeIds: [edgeRec.id] },
    { kind: 'addNode', node },
    { kind: 'connect', source: sourceId, target: node.id },
    { kind: 'connect', source: node.id, target: targetId, targetIndex: edgeRec.targetIndex },
  ])
}

/** Deletes the selected layers and their connections. */
export function deleteSelection(): void {
  const ids = get().selection
  if (ids.length && edit({ kind: 'removeNodes', ids })) patch({ selection: [] })
}

/** Deletes layers (with their wires) and wires as one undo step. */
export function deleteElements(nodeIds: string[], edgeIds: string[]): void {
  if (!nodeIds.length && !edgeIds.length) return
  if (edit({ kind: 'removeNodes', ids: nodeIds, edgeIds })) patch({ selection: get().selection.filter((id) => !nodeIds.includes(id)) })
}

/** Wires two layers; when the target's one input is taken, offers to replace it instead of just refusing. */
export function connectLayers(source: string, target: string): void {
  const change: GraphChange = { kind: 'connect', source, target }
  const offer = replacingConnect(currentGraph(), change)
  if (!offer) {
    edit(change)
    return
  }
  const g = currentGraph()
  const name = (id: string) => g.nodes.find((n) => n.id === id)?.name ?? id
  const current = g.edges.filter((e) => e.target === target).map((e) => `'${name(e.source)}'`).join(', ')
  patch({ message: { kind: 'error', text: `'${name(target)}' already takes its input from ${current}.`, offer: { label: `Replace with '${name(source)}'`, change: offer } } })
}

/** Applies the edit a message offers (and clears the message). */
export function acceptOffer(): void {
  const offer = get().message?.offer
  if (offer) edit(offer.change)
}

/** Adds a layer from the palette onto a wire, splicing it between the wire's ends (one undo step). */
export function addLayerIntoEdge(type: LayerType, position: Position, edgeId: string): string | null {
  const node = createNode(currentGraph(), type, position)
  if (!editMany([{ kind: 'addNode', node }, { kind: 'spliceIntoEdge', edgeId, nodeId: node.id }])) return null
  select([node.id])
  return node.id
}

/** Moves an unconnected layer into a wire it was dropped on, keeping where it was dropped (one undo step). */
export function spliceExisting(nodeId: string, edgeId: string, position: Position): boolean {
  return editMany([{ kind: 'moveNodes', moves: [{ id: nodeId, position }] }, { kind: 'spliceIntoEdge', edgeId, nodeId }])
}

/** Copies the selected layers (and the connections among them). */
export function copySelection(): void {
  const ids = new Set(get().selection)
  if (!ids.size) return
  const graph = currentGraph()
  patch({
    clipboard: {
      nodes: graph.nodes.filter((n) => ids.has(n.id)),
      edges: graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
    },
  })
}

/** Pastes the clipboard as fresh layers, offset so they do not hide the originals. */
export function pasteClipboard(): void {
  const clip = get().clipboard
  if (!clip) return
  const before = new Set(currentGraph().nodes.map((n) => n.id))
  if (edit({ kind: 'paste', nodes: clip.nodes, edges: clip.edges, offset: { x: 40, y: 40 } })) {
    select(currentGraph().nodes.filter((n) => !before.has(n.id)).map((n) => n.id))
  }
}

/** Re-lays out the whole graph in layers (one undo step). */
export function autoLayout(): void {
  edit({ kind: 'replaceGraph', graph: layoutGraph(currentGraph()) })
}

/** Starts a new, unsaved model: empty or from a template. */
export function newModel(template?: TemplateName, title?: string): void {
  const graph = template ? buildTemplate(template) : emptyGraph()
  patch({ ...freshDesigner(get().models), history: createHistory(graph), modelName: title ?? 'Untitled model' })
}

/** Renames the open model (saved with the next version). */
export function setModelName(name: string): void {
  patch({ modelName: name })
}

/** True when the canvas differs from the last saved or loaded version. */
export function isDirty(d: DesignerState): boolean {
  return d.savedGraph === null ? d.history.present.nodes.length > 0 : d.savedGraph !== d.history.present
}

/** Loads the list of saved models. */
export async function loadModels(): Promise<void> {
  const res = await getApi().models.list({})
  if (!res.ok) return reportFailure('Loading saved models', res)
  patch({ models: res.value })
}

/** Saves the canvas as a new version of the open model (or as a new model). */
export async function saveModel(): Promise<boolean> {
  const d = get()
  const res = await getApi().models.save({ modelId: d.modelId ?? undefined, name: d.modelName, graph: d.history.present })
  if (!res.ok) {
    patch({ message: { kind: 'error', text: res.message } })
    return false
  }
  const m = res.value
  patch({
    modelId: m.modelId,
    modelName: m.name,
    savedVersion: m.version,
    savedGraph: d.history.present,
    versions: m.versions,
    message: { kind: 'info', text: `Saved "${m.name}" as version ${m.version}.` },
  })
  // The next thing after saving is usually training it: the Runs form starts with this version.
  preselectForRun(m.modelId, m.versionId, d.binding?.versionId ?? null)
  await loadModels()
  return true
}

/** Opens a saved model version (the newest when version is omitted). */
export async function openModel(modelId: number, version?: number): Promise<void> {
  const res = await getApi().models.get({ modelId, version })
  if (!res.ok) {
    patch({ message: { kind: 'error', text: res.message } })
    return
  }
  const m = res.value
  patch({
    history: createHistory(m.graph),
    modelId: m.modelId,
    modelName: m.name,
    savedVersion: m.version,
    savedGraph: m.graph,
    versions: m.versions,
    selection: [],
    message: null,
  })
}

/** Replaces the canvas with a TF.js / Keras model.json topology (one undo step). */
export function importTfjsText(text: string, fileName: string): void {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    patch({ message: { kind: 'error', text: `${fileName} is not valid JSON: ${(e as Error).message}` } })
    return
  }
  try {
    const { graph } = fromTfjs(json)
    if (edit({ kind: 'replaceGraph', graph })) patch({ message: { kind: 'info', text: `Imported ${graph.nodes.length} layers from ${fileName}.` } })
  } catch (e) {
    patch({ message: { kind: 'error', text: `${fileName}: ${(e as Error).message}` } })
  }
}

/** The canvas as TF.js Layers JSON (the Keras topology format), or an error message. */
export function exportTfjsText(): { ok: true; text: string } | { ok: false; message: string } {
  try {
    return { ok: true, text: JSON.stringify(toTfjsJson(currentGraph(), { name: get().modelName }), null, 2) }
  } catch (e) {
    return { ok: false, message: (e as Error).message }
  }
}

/**
 * Binds the model to a dataset version: sets the Input shape to the dataset's sample shape and
 * shapes the output layer for its target (the rules live in common/graph/dataFit), as one undo step.
 * While bound, a model that no longer fits the data is listed under Problems.
 */
export async function bindDataset(versionId: number | null): Promise<void> {
  if (versionId === null) {
    patch({ binding: null })
    return
  }
  const res = await getApi().datasets.version({ versionId })
  if (!res.ok) {
    patch({ message: { kind: 'error', text: res.message } })
    return
  }
  applyBinding(res.value)
}

/** Shapes the canvas for a fetched dataset version and remembers the binding. */
function applyBinding(v: DatasetVersionRecord): void {
  const read = dataShapeOf(v)
  if (!read.ok) {
    patch({ message: { kind: 'error', text: read.message } })
    return
  }
  const changes = bindingChanges(currentGraph(), read.shape)
  if (changes.length) editMany(changes)
  const label = `${v.datasetName} v${v.version}`
  patch({
    binding: { versionId: v.id, label, shape: read.shape },
    message: { kind: 'info', text: `Bound to ${label}: ${describeBinding(read.shape)}.` },
  })
}

/**
 * "Design a model for it": a new model from the template that suits the dataset (a CNN for
 * images, the text model for token columns, an MLP for tables), already bound to it.
 * Resolves true when the canvas is ready (open the Designer after, so it fits the new graph).
 */
export async function designModelFor(versionId: number): Promise<boolean> {
  const res = await getApi().datasets.version({ versionId })
  if (!res.ok) {
    patch({ message: { kind: 'error', text: res.message } })
    return false
  }
  const v = res.value
  const tokens = (v.recipe?.steps ?? []).some((s) => s.kind === 'tokens')
  const template: TemplateName = v.schema.kind === 'image' ? 'mnist_cnn' : tokens ? 'text_cnn_lstm' : 'spam_mlp'
  newModel(template, `${v.datasetName} model`)
  applyBinding(v)
  return true
}

/** Shows a message in the Designer's message bar. */
export function showDesignerMessage(kind: 'error' | 'info', text: string): void {
  patch({ message: { kind, text } })
}

/** Clears the message bar if it still shows `m` (a newer message stays). */
export function clearDesignerMessage(m: DesignerState['message']): void {
  if (get().message === m) patch({ message: null })
}

/** Opens a saved model version bound to a dataset version (its Input and output reshaped for it), ready to save as the next version. */
export async function openModelForData(modelId: number, version: number, datasetVersionId: number): Promise<void> {
  await openModel(modelId, version)
  await bindDataset(datasetVersionId)
}
