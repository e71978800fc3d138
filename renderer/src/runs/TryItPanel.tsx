import { useEffect, useState } from 'react'
import { useFileDrop } from '../app/useFileDrop'
import type { DatasetVersionRecord, Result, RunSummary, TryItResult } from '../../../preload/contract'
import { getApi } from '../api/api'
import { useAppStore } from '../store'
import { tryImage, tryIt } from '../store/runsActions'

function ResultView(props: { result: Result<TryItResult> }) {
  const r = props.result
  if (!r.ok)
    return (
      <div className="banner error" role="alert" data-testid="try-error">
        {r.message}
      </div>
    )
  const v = r.value
  if (v.kind === 'regression') return <p data-testid="try-result">Predicted value: <strong>{v.value.toPrecision(5)}</strong></p>
  return (
    <div data-testid="try-result">
      <p>
        Prediction: <strong data-testid="try-predicted">{v.predicted}</strong> ({(v.confidence * 100).toFixed(1)}%)
      </p>
      <ul className="prob-bars">
        {v.classes.map((c, i) => (
          <li key={c}>
            <span className="prob-label">{c}</span>
            <span className="prob-bar" style={{ width: `${Math.max(1, v.probabilities[i] * 100)}%` }} />
            <span className="prob-value">{(v.probabilities[i] * 100).toFixed(1)}%</span>
          </li>
        ))}
      </ul>
    </div>
  )
}

/** The feature columns a typed-in row needs: each recipe column once, with its categories when it has some. */
function rowFields(v: DatasetVersionRecord): { column: string; options: string[] }[] {
  const seen = new Map<string, string[]>()
  for (const s of v.recipe?.steps ?? []) if (!seen.has(s.column)) seen.set(s.column, s.kind === 'categorical' ? s.categories : [])
  return [...seen].map(([column, options]) => ({ column, options }))
}

/**
 * Try the model: type a row of raw values (the dataset's recipe turns it into features, exactly as
 * in training) or drop an image (uploaded, then resized like the import). Predictions run in the
 * worker, with the inspected checkpoint or else the run's final one.
 */
export function TryItPanel(props: { run: RunSummary }) {
  const { run } = props
  const checkpointId = useAppStore((s) => s.runs.inspect.checkpointId)
  const [version, setVersion] = useState<DatasetVersionRecord | null>(null)
  const [values, setValues] = useState<Record<string, string>>({})
  const [result, setResult] = useState<Result<TryItResult> | null>(null)
  const [busy, setBusy] = useState(false)
  const [preview, setPreview] = useState<string | null>(null)
  useEffect(() => {
    setVersion(null)
    setResult(null)
    if (run.datasetVersionId === null) return
    void getApi()
      .datasets.version({ versionId: run.datasetVersionId })
      .then((r) => r.ok && setVersion(r.value))
  }, [run.datasetVersionId])
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview])
  const go = async (p: Promise<Result<TryItResult>>) => {
    setBusy(true)
    setResult(await p)
    setBusy(false)
  }
  const pick = (file: File | undefined) => {
    if (!file) return
    setPreview(URL.createObjectURL(file))
    void go(tryImage(run.id, checkpointId, file))
  }
  const drop = useFileDrop((dt) => pick(dt.files[0]))
  const over = drop.over
  if (!version) return null
  const image = version.schema.kind === 'image'
  return (
    <section className="try-it" data-testid="try-it">
      <h3>Try it</h3>
      <p className="muted small-text">{checkpointId ? 'Uses the checkpoint you are inspecting.' : "Uses the run's final checkpoint."}</p>
      {image && version.schema.kind === 'image' ? (
        <div className={`try-drop${over ? ' over' : ''}`} data-testid="try-drop" {...drop.handlers}>
          {preview && <img src={preview} alt="the image tried" className="try-preview" />}
          <span>
            Drop an image here, or{' '}
            <label className="upload-button">
              choose one…
              <input type="file" accept="image/*" hidden data-testid="try-image-file" onChange={(e) => pick(e.target.files?.[0])} />
            </label>
          </span>
          <span className="muted small-text">
            It is resized to {version.schema.width} × {version.schema.height} ({version.schema.fit}), {version.schema.channels === 1 ? 'greyscale' : 'RGB'}, like the import.
          </span>
        </div>
      ) : (
        <form
          className="try-form"
          onSubmit={(e) => {
            e.preventDefault()
            void go(tryIt(run.id, checkpointId, { kind: 'row', values }))
          }}
        >
          {rowFields(version).map((f) => (
            <label key={f.column}>
              {f.column}
              <input aria-label={`Value of ${f.column}`} list={f.options.length ? `try-${f.column}` : undefined} value={values[f.column] ?? ''} onChange={(e) => setValues((v) => ({ ...v, [f.column]: e.target.value }))} />
              {f.options.length > 0 && (
                <datalist id={`try-${f.column}`}>
                  {f.options.map((o) => (
                    <option key={o} value={o} />
                  ))}
                </datalist>
              )}
            </label>
          ))}
          <button type="submit" className="small" disabled={busy} data-testid="try-predict">
            Predict
          </button>
        </form>
      )}
      {busy && <p className="muted">Predicting…</p>}
      {result && !busy && <ResultView result={result} />}
    </section>
  )
}
