import type { CsvPreview, ImportFinished } from '../../../common/contract'
import { getApi } from '../api/api'
import { csvReadingOptions } from './csvReadingOptions'
import type { CsvImportDraft, DatasetsState } from './datasetsSlice'
import { useAppStore } from './index'
import { reportFailure } from './reportError'

const get = () => useAppStore.getState().datasets
const patch = (p: Partial<DatasetsState>) => useAppStore.setState((s) => ({ datasets: { ...s.datasets, ...p } }))

/** Loads the dataset list and the bundled samples. */
export async function loadDatasets(): Promise<void> {
  const api = getApi()
  const [list, samples] = await Promise.all([api.datasets.list({}), api.datasets.samples({})])
  if (!samples.ok) reportFailure('Loading the sample datasets', samples)
  patch({ ...(list.ok ? { list: list.value } : { message: { kind: 'error', text: list.message } }), ...(samples.ok ? { samples: samples.value } : {}) })
}

const baseName = (path: string) => path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? path

/** A fresh import form for a previewed CSV, starting from what the preview suggests. */
function draftFor(p: CsvPreview): CsvImportDraft {
  // A bundled sample may start with column choices (the reviews' text as tokens): those columns are features.
  const sampleColumns = get().samples.find((s) => s.path === p.file)?.columns ?? {}
  return {
    name: baseName(p.file).replace(/\.[^.]+$/, ''),
    onBadRow: p.badRows.total > 0 ? 'skip' : 'abort',
    target: p.suggested.target,
    task: p.suggested.task ?? undefined,
    ignore: p.suggested.ignore.filter((n) => !(n in sampleColumns)),
    columnTypes: {},
    columns: { ...sampleColumns },
    split: { train: 0.8, validation: 0.1, test: 0.1, seed: 42, stratify: true },
  }
}

/** Chooses a file or folder to import and previews it (a folder is read as images). */
export async function chooseSource(path: string, kind: 'csv' | 'images'): Promise<void> {
  patch({ source: { path, kind }, csvPreview: null, imagePreview: null, draft: null, imageDraft: null, message: null, selectedVersion: null })
  if (kind === 'csv') await previewCsv()
  else await previewImages()
}

/** (Re)reads the CSV preview with the reading the form says (encoding, delimiter, header, decimal, skipped lines, comments...). */
export async function previewCsv(): Promise<void> {
  const src = get().source
  if (!src) return
  const d = get().draft
  patch({ previewing: true })
  const res = await getApi().datasets.previewCsv({
    path: src.path,
    options: d ? { ...csvReadingOptions(d), columnTypes: d.columnTypes as never } : {},
  })
  if (!res.ok) {
    patch({ previewing: false, message: { kind: 'error', text: res.message } })
    return
  }
  patch({ previewing: false, csvPreview: res.value, draft: d ? { ...d } : draftFor(res.value), message: null })
}

/** Reads an image folder's classes, counts and the files that would be skipped. */
export async function previewImages(): Promise<void> {
  const src = get().source
  if (!src) return
  patch({ previewing: true })
  const res = await getApi().datasets.previewImages({ path: src.path })
  if (!res.ok) {
    patch({ previewing: false, message: { kind: 'error', text: res.message } })
    return
  }
  patch({ previewing: false, imagePreview: res.value, imageDraft: { name: baseName(src.path), width: 28, height: 28, channels: 1, augment: {} } })
}

/** Edits the CSV import form. */
export function editDraft(p: Partial<CsvImportDraft>): void {
  const d = get().draft
  if (d) patch({ draft: { ...d, ...p } })
}

/** Edits the image import form. */
export function editImageDraft(p: Partial<NonNullable<DatasetsState['imageDraft']>>): void {
  const d = get().imageDraft
  if (d) patch({ imageDraft: { ...d, ...p } })
}

/** Starts the import of the previewed source in a worker; progress and the outcome arrive as events. */
export async function startImport(): Promise<void> {
  const { source, draft, imageDraft } = get()
  if (!source) return
  const api = getApi()
  const res =
    source.kind === 'csv' && draft
      ? await api.datasets.import({
          kind: 'csv',
          path: source.path,
          options: {
            name: draft.name,
            ...csvReadingOptions(draft),
            onBadRow: draft.onBadRow,
            columnTypes: draft.columnTypes as never,
            recipe: { target: draft.target, task: draft.task, ignore: draft.ignore, columns: draft.columns as never },
            split: draft.split,
          },
        })
      : imageDraft
        ? await api.datasets.import({
            kind: 'images',
            path: source.path,
            options: { name: imageDraft.name, width: imageDraft.width, height: imageDraft.height, channels: imageDraft.channels, augment: imageDraft.augment as never },
          })
        : null
  if (!res) return
  if (!res.ok) patch({ message: { kind: 'error', text: res.message } })
  else patch({ job: { jobId: res.value.jobId, progress: null }, message: null })
}

/** Asks the running import to stop; nothing it wrote is kept. */
export async function cancelImport(): Promise<void> {
  const job = get().job
  if (!job) return
  const res = await getApi().datasets.cancelImport({ jobId: job.jobId })
  if (!res.ok) reportFailure('Cancelling the import', res)
}

/** Follows import events: progress updates the bar; the end refreshes the list and opens the new version. */
export function subscribeImportEvents(): () => void {
  const api = getApi()
  const offProgress = api.on('import.progress', (e) => {
    const job = get().job
    if (job && job.jobId === e.jobId) patch({ job: { ...job, progress: e.progress } })
  })
  const offFinished = api.on('import.finished', (e: ImportFinished) => {
    if (get().job?.jobId !== e.jobId) return
    if (e.ok) {
      patch({ job: null, source: null, csvPreview: null, imagePreview: null, draft: null, imageDraft: null, message: { kind: 'info', text: `Imported "${e.result.name}" v${e.result.version}: ${e.result.rowCount.toLocaleString('en-US')} rows.`, versionId: e.result.versionId } })
      void loadDatasets().then(() => openVersion(e.result.versionId))
    } else {
      patch({ job: null, message: { kind: 'error', text: e.message } })
    }
  })
  return () => {
    offProgress()
    offFinished()
  }
}

/** Opens a stored dataset version's details. */
export async function openVersion(versionId: number): Promise<void> {
  const res = await getApi().datasets.version({ versionId })
  if (res.ok) patch({ selectedVersion: res.value, source: null, csvPreview: null, imagePreview: null })
  else patch({ message: { kind: 'error', text: res.message } })
}

/** Deletes a dataset with all its versions (refused while runs use it). */
export async function deleteDataset(datasetId: number): Promise<void> {
  const res = await getApi().datasets.delete({ datasetId })
  if (!res.ok) patch({ message: { kind: 'error', text: res.message } })
  else {
    patch({ selectedVersion: null, message: { kind: 'info', text: 'Dataset deleted.' } })
    await loadDatasets()
  }
}

/** Shows a message above the Datasets section. */
export function showDatasetsMessage(kind: 'error' | 'info', text: string): void {
  patch({ message: { kind, text } })
}

/** Clears the section's message if it is still `m` (a newer one stays). */
export function clearDatasetsMessage(m: DatasetsState['message']): void {
  if (get().message === m) patch({ message: null })
}
