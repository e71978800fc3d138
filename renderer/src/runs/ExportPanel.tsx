import { useState } from 'react'
import type { ExportResult, Result, RunSummary } from '../../../common/contract'
import { useAppStore } from '../store'
import { exportRunModel } from '../store/runsActions'
import { FileBrowser } from '../app/FileBrowser'

/**
 * Export the model as TF.js Layers files (model.json + weights.bin, for tf.loadLayersModel) and,
 * unless unticked, as ONNX (model.onnx), with recipe.json, classes.json and a README.txt on loading
 * each, into a folder on the workbench's machine.
 */
export function ExportPanel(props: { run: RunSummary }) {
  const checkpointId = useAppStore((s) => s.runs.inspect.checkpointId)
  const [folder, setFolder] = useState('')
  const [overwrite, setOverwrite] = useState(false)
  const [onnx, setOnnx] = useState(true)
  const [browsing, setBrowsing] = useState(false)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<Result<ExportResult> | null>(null)
  const slug = props.run.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60)
  return (
    <section className="export" data-testid="export">
      <h3>Export model</h3>
      <form
        className="path-form"
        onSubmit={(e) => {
          e.preventDefault()
          setBusy(true)
          void exportRunModel(props.run.id, checkpointId, folder.trim(), overwrite, onnx).then((r) => {
            setResult(r)
            setBusy(false)
          })
        }}
      >
        <input aria-label="Export folder" placeholder="/full/path/to/folder" value={folder} onChange={(e) => setFolder(e.target.value)} />
        <button type="button" onClick={() => setBrowsing(true)}>
          Browse…
        </button>
        <label className="small-text">
          <input type="checkbox" checked={onnx} onChange={(e) => setOnnx(e.target.checked)} data-testid="export-onnx" /> also ONNX (model.onnx)
        </label>
        <label className="small-text">
          <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> replace existing files
        </label>
        <button type="submit" className="primary" disabled={busy || !folder.trim()} data-testid="export-model">
          Export
        </button>
      </form>
      <p className="muted small-text">{checkpointId ? 'Exports the checkpoint you are inspecting.' : "Exports the run's final checkpoint."} A folder that does not exist yet is created.</p>
      {result && !result.ok && (
        <div className="banner error" role="alert" data-testid="export-error">
          {result.message}
        </div>
      )}
      {result?.ok && (
        <p data-testid="export-result">
          Wrote {result.value.files.map((f) => f.name).join(', ')} to <code>{result.value.folder}</code>
        </p>
      )}
      {browsing && (
        <FileBrowser
          title="Choose the folder to export into"
          folderLabel="Use this folder"
          pathTestId="folder-picker-path"
          start={folder.trim() || undefined}
          onClose={() => setBrowsing(false)}
          onPickFolder={(p) => {
            setFolder(`${p}/${slug}`)
            setBrowsing(false)
          }}
        />
      )}
    </section>
  )
}
