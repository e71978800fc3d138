import { useEffect, useState } from 'react'
import { useFileDrop } from '../app/useFileDrop'
import type { DatasetVersionRecord, Result, RunSummary, TryItResult, TryItRowErrors } from '../../../common/contract'
import { getApi } from '../api/api'
import { useAppStore } from '../store'
import { reportFailure } from '../store/reportError'
import { tryImage, tryIt } from '../store/runsActions'

/** The per-column messages of a refused row, by column ('' = the row as a whole). */
export function fieldErrors(r: Result<TryItResult> | null): Map<string, string> {
  const out = new Map<string, string>()
  if (!r || r.ok) return out
  const fields = (r.details as TryItRowErrors | undefined)?.fields
  if (Array.isArray(fields)) for (const f of fields) out.set(f.column, f.message)
  return out
}

function ImputedNote(props: { result: TryItResult }) {
  const list = props.result.imputed
  if (list.length === 0) return null
  return (
    <p className="muted small-text" data-testid="try-imputed">
      Filled in for the empty {list.length === 1 ? 'column' : 'columns'}: {list.map((m) => `${m.column} = ${m.value} (${m.strategy})`).join('; ')}.
    </p>
  )
}

function ResultView(props: { result: Result<TryItResult> }) {
  const r = props.result
  if (!r.ok)
    return (
      <div className="banner error" role="alert" data-testid="try-error">
        {fieldErrors(r).size > 0 ? 'Fix the marked values to get a prediction.' : r.message}
        {fieldErrors(r).get('') && <div>{fieldErrors(r).get('')}</div>}
      </div>
    )
  const v = r.value
  if (v.kind === 'regression')
    return (
      <div data-testid="try-result">
        <p>
          Predicted value: <strong data-testid="try-value">{v.value.toPrecision(5)}</strong>
        </p>
        <ImputedNote result={v} />
      </div>
    )
  return (
    <div data-testid="try-result">
      <ImputedNote result={v} />
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
function rowFields(v: DatasetVersionRecord): { column: string; options: string[]; hint: string }[] {
  const seen = new Map<string, { options: string[]; hint: string }>()
  for (const s of v.recipe?.steps ?? []) {
    if (seen.has(s.column)) continue
    const hint = s.kind === 'numeric' ? (s.valueType === 'date' ? 'YYYY-MM-DD' : s.valueType === 'boolean' ? 'true / false' : 'number') : s.kind === 'tokens' ? 'text' : ''
    seen.set(s.column, { options: s.kind === 'categorical' ? s.categories : [], hint })
  }
  return [...seen].map(([column, f]) => ({ column, ...f }))
}

/**
 * Try the model: type a row of raw values (the dataset's recipe turns it into features, exactly as
 * in training) or drop an image (uploaded, then resized like the import). Predictions run in the
 * worker, with the inspected checkpoint or else the run's final one.
 */
export function TryItPanel(props: { run: RunSummary }) {
  const { run } = props
  const inspected = useAppStore((s) => s.runs.inspect.checkpointId)
  const final = useAppStore((s) => s.runs.inspect.final)
  // The final evaluation opens on its own; Try it then uses "the run's model" like export does.
  const checkpointId = final ? null : inspected
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
      .then((r) => (r.ok ? setVersion(r.value) : reportFailure('Reading the run’s dataset', r)))
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
  const errors = fieldErrors(result)
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
          {rowFields(version).map((f) => {
            const err = errors.get(f.column)
            const set = (value: string) => setValues((v) => ({ ...v, [f.column]: value }))
            return (
              <label key={f.column} className={err ? 'invalid' : undefined}>
                {f.column}
                {f.options.length > 0 ? (
                  // Categories are a closed set: a dropdown offers exactly the ones training saw.
                  <select aria-label={`Value of ${f.column}`} aria-invalid={err ? true : undefined} value={values[f.column] ?? ''} onChange={(e) => set(e.target.value)}>
                    <option value="">(empty: filled in)</option>
                    {f.options.map((o) => (
                      <option key={o} value={o}>
                        {o}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input aria-label={`Value of ${f.column}`} aria-invalid={err ? true : undefined} placeholder={f.hint} value={values[f.column] ?? ''} onChange={(e) => set(e.target.value)} />
                )}
                {err && (
                  <span className="field-error" role="alert" data-testid={`try-field-error-${f.column}`}>
                    {err}
                  </span>
                )}
              </label>
            )
          })}
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
