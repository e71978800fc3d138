import type { StateCreator } from 'zustand'
import type { CsvPreview, DatasetSummary, DatasetVersionRecord, ImportProgress, SampleDataset } from '../../../common/contract'
import type { AppState } from './index'

/** Options the import form edits before sending datasets.import (CSV). */
export interface CsvImportDraft {
  name: string
  encoding?: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'
  delimiter?: string
  decimal?: '.' | ','
  header?: boolean
  /** Lines to skip above the table; comment marker ('' none); thousands separator; order of non-ISO dates. */
  skipLines?: number
  comment?: string
  thousands?: '' | ',' | '.' | ' '
  dateOrder?: 'dmy' | 'mdy'
  onBadRow: 'abort' | 'skip'
  target: string | null
  task?: 'classification' | 'regression'
  ignore: string[]
  columnTypes: Record<string, string>
  columns: Record<string, { transform?: string; missing?: string; constant?: number | string; vocabSize?: number; sequenceLength?: number }>
  split: { train: number; validation: number; test: number; seed: number; stratify: boolean }
}

/** What the Datasets section holds. */
export interface DatasetsState {
  list: DatasetSummary[]
  samples: SampleDataset[]
  /** The source being prepared for import. */
  source: { path: string; kind: 'csv' | 'images' } | null
  csvPreview: CsvPreview | null
  imagePreview: unknown
  draft: CsvImportDraft | null
  imageDraft: { name: string; width: number; height: number; channels: 1 | 3; augment: Record<string, number | boolean> } | null
  previewing: boolean
  job: { jobId: number; progress: ImportProgress | null } | null
  selectedVersion: DatasetVersionRecord | null
  /** `versionId`: the version just imported, offered to "Design a model for it". */
  message: { kind: 'error' | 'info'; text: string; versionId?: number } | null
}

/** The Datasets slice. */
export interface DatasetsSlice {
  datasets: DatasetsState
}

/** Initial Datasets state. */
export const createDatasetsSlice: StateCreator<AppState, [], [], DatasetsSlice> = () => ({
  datasets: {
    list: [],
    samples: [],
    source: null,
    csvPreview: null,
    imagePreview: null,
    draft: null,
    imageDraft: null,
    previewing: false,
    job: null,
    selectedVersion: null,
    message: null,
  },
})
