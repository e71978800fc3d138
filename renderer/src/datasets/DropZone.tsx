import { useState, type ReactNode } from 'react'
import { useFileDrop } from '../app/useFileDrop'
import { isTabularFileName } from '../../../common/contract'
import { chooseSource, showDatasetsMessage } from '../store/datasetsActions'
import { droppedFiles, uploadFiles, type DroppedFile } from './upload'


async function importDropped(files: DroppedFile[], setStatus: (s: string | null) => void): Promise<void> {
  if (!files.length) return
  setStatus(`Uploading ${files.length} file(s)…`)
  const r = await uploadFiles(files, (done, total) => setStatus(`Uploading ${files.length} file(s): ${Math.round((done / Math.max(1, total)) * 100)}%`))
  setStatus(null)
  if (!r.ok) return showDatasetsMessage('error', r.message)
  const single = files.length === 1 && !files[0].path.includes('/')
  await chooseSource(r.path, single && isTabularFileName(files[0].path) ? 'csv' : 'images')
}

/** Accepts a CSV file or a folder of images dropped anywhere on the Datasets section (or picked with Upload). */
export function DropZone(props: { children: ReactNode }) {
  const [status, setStatus] = useState<string | null>(null)
  const { over, handlers } = useFileDrop((dt) => void droppedFiles(dt).then((files) => importDropped(files, setStatus)))
  return (
    <div className={`drop-zone${over ? ' over' : ''}`} data-testid="drop-zone" {...handlers}>
      {props.children}
      <div className="upload-row">
        <label className="upload-button">
          Upload a table…
          <input type="file" accept=".csv,.tsv,.txt,.gz,.parquet,.json,.jsonl,.ndjson" hidden data-testid="upload-file" onChange={(e) => void importDropped(Array.from(e.target.files ?? []).map((file) => ({ file, path: file.name })), setStatus)} />
        </label>
        <label className="upload-button">
          Upload an image folder…
          <input
            type="file"
            hidden
            multiple
            data-testid="upload-folder"
            ref={(el) => el?.setAttribute('webkitdirectory', '')}
            onChange={(e) => void importDropped(Array.from(e.target.files ?? []).map((file) => ({ file, path: file.webkitRelativePath || file.name })), setStatus)}
          />
        </label>
        <span className="muted">or drop a file or folder here</span>
        {status && <span data-testid="upload-status">{status}</span>}
      </div>
    </div>
  )
}
