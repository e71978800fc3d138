import { useState } from 'react'
import { useAppStore } from '../store'
import { TABULAR_FILE_NAME, isTabularFileName } from '../../../common/contract'
import { chooseSource } from '../store/datasetsActions'
import { FileBrowser } from '../app/FileBrowser'

/** Where an import starts: a path, the file browser, or a bundled sample. */
export function SourcePicker() {
  const samples = useAppStore((s) => s.datasets.samples)
  const [path, setPath] = useState('')
  const [browsing, setBrowsing] = useState(false)
  const kindOf = (p: string): 'csv' | 'images' => (isTabularFileName(p) ? 'csv' : 'images')
  return (
    <section className="source-picker" data-testid="source-picker">
      <h2>Import data</h2>
      <p className="muted">A table (CSV/TSV, Parquet, JSON or JSON Lines, optionally .gz; one row per sample, a column to predict) or a folder of images with one subfolder per class.</p>
      <form
        className="path-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (path.trim()) void chooseSource(path.trim(), kindOf(path.trim()))
        }}
      >
        <input aria-label="File or folder path" placeholder="/path/to/data.csv or /path/to/images" value={path} onChange={(e) => setPath(e.target.value)} />
        <button type="submit">Preview</button>
        <button type="button" onClick={() => setBrowsing(true)}>
          Browse…
        </button>
      </form>
      {samples.length > 0 && (
        <div className="samples">
          <span className="muted">Or start with a sample:</span>
          {samples.map((s) => (
            <button key={s.name} type="button" title={s.description} onClick={() => void chooseSource(s.path, s.kind)}>
              {s.title}
            </button>
          ))}
        </div>
      )}
      {browsing && (
        <FileBrowser
          title="Choose a CSV file or a folder of images"
          folderLabel="Use this folder (images)"
          pathTestId="browser-path"
          acceptFiles={TABULAR_FILE_NAME}
          onClose={() => setBrowsing(false)}
          onPickFolder={(p) => {
            setBrowsing(false)
            setPath(p)
            void chooseSource(p, 'images')
          }}
          onPickFile={(p) => {
            setBrowsing(false)
            setPath(p)
            void chooseSource(p, 'csv')
          }}
        />
      )}
    </section>
  )
}
