import { useEffect } from 'react'
import { useAppStore } from '../store'
import { useFadingMessage } from '../app/useFadingMessage'
import { clearDatasetsMessage, loadDatasets, subscribeImportEvents } from '../store/datasetsActions'
import { DesignModelButton } from './DesignModelButton'
import { CsvImportPanel } from './CsvImportPanel'
import { DatasetList } from './DatasetList'
import { DropZone } from './DropZone'
import { ImageImportPanel } from './ImageImportPanel'
import { ImportProgressBar } from './ImportProgressBar'
import { SourcePicker } from './SourcePicker'
import { VersionDetail } from './VersionDetail'

/** Datasets: the list of imported datasets, and the import flow (choose, preview, adjust, import). */
export function DatasetsPage() {
  const message = useAppStore((s) => s.datasets.message)
  const source = useAppStore((s) => s.datasets.source)
  const previewing = useAppStore((s) => s.datasets.previewing)
  const hasDatasets = useAppStore((s) => s.datasets.list.length > 0)
  const fading = useFadingMessage(message, clearDatasetsMessage)
  useEffect(() => {
    void loadDatasets()
    return subscribeImportEvents()
  }, [])
  return (
    <section className="datasets" data-testid="section-datasets">
      <aside className="datasets-side">
        <h1>Datasets</h1>
        <DatasetList />
      </aside>
      <div className="datasets-main">
        {message && (
          <div role={message.kind === 'error' ? 'alert' : 'status'} className={`banner ${message.kind}${fading ? ' fading' : ''}`} data-testid="datasets-message">
            {message.text}
            {message.versionId !== undefined && <DesignModelButton versionId={message.versionId} />}
          </div>
        )}
        {!hasDatasets && !source && (
          <div className="empty" data-testid="empty-state">
            <h2>No datasets yet</h2>
            <ol>
              <li>Import a CSV file (one row per sample, one column per feature, plus a target column) or a folder with one subfolder per class of images.</li>
              <li>Check the preview: column types, the target, and how each column is preprocessed.</li>
              <li>Then open the Designer to draw a network for it.</li>
            </ol>
          </div>
        )}
        <DropZone>
          <SourcePicker />
        </DropZone>
        {previewing && <p className="muted">Reading…</p>}
        <ImportProgressBar />
        {source?.kind === 'csv' && <CsvImportPanel />}
        {source?.kind === 'images' && <ImageImportPanel />}
        {!source && <VersionDetail />}
      </div>
    </section>
  )
}
