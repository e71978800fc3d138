import { useReactFlow } from '@xyflow/react'
import { useEffect, useRef, useState } from 'react'
import type { DatasetSummary } from '../../../common/contract'
import { getApi } from '../api/api'
import { canRedo, canUndo, listTemplates, type TemplateName } from '../../../common/graph'
import { useAppStore } from '../store'
import { reportFailure } from '../store/reportError'
import {
  autoLayout,
  bindDataset,
  exportTfjsText,
  importTfjsText,
  isDirty,
  newModel,
  openModel,
  redoEdit,
  saveModel,
  setModelName,
  showDesignerMessage,
  undoEdit,
} from '../store/designerActions'

const TEMPLATES = listTemplates()

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** The Designer's toolbar: model name, new/open/save, versions, undo/redo, layout, import/export. */
export function Toolbar() {
  const d = useAppStore((s) => s.designer)
  const flow = useReactFlow()
  const fileInput = useRef<HTMLInputElement>(null)
  const dirty = isDirty(d)
  const [datasets, setDatasets] = useState<DatasetSummary[]>([])
  useEffect(() => {
    void getApi()
      .datasets.list({})
      .then((r) => (r.ok ? setDatasets(r.value) : reportFailure('Loading datasets', r)))
  }, [])
  const savedAt = d.versions.find((v) => v.version === d.savedVersion)?.createdAt
  return (
    <div className="toolbar" role="toolbar" aria-label="Designer">
      <input className="model-name" aria-label="Model name" value={d.modelName} onChange={(e) => setModelName(e.target.value)} />
      <select
        aria-label="New model"
        value=""
        onChange={(e) => {
          const v = e.target.value
          if (v === 'empty') newModel()
          else if (v) newModel(v as TemplateName, TEMPLATES.find((t) => t.name === v)?.title)
          setTimeout(() => flow.fitView({ maxZoom: 1 }), 0)
        }}
      >
        <option value="">New…</option>
        <option value="empty">Empty canvas</option>
        {TEMPLATES.map((t) => (
          <option key={t.name} value={t.name} title={t.description}>
            {t.title}
          </option>
        ))}
      </select>
      <select
        aria-label="Open model"
        value={d.modelId ?? ''}
        onChange={(e) => e.target.value && void openModel(Number(e.target.value)).then(() => setTimeout(() => flow.fitView({ maxZoom: 1 }), 0))}
      >
        <option value="">Open…</option>
        {d.models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name} (v{m.latestVersion})
          </option>
        ))}
      </select>
      {d.versions.length > 0 && (
        <select aria-label="Version" title={savedAt ? `saved ${new Date(savedAt).toLocaleString()}` : undefined} value={d.savedVersion ?? ''} onChange={(e) => d.modelId && void openModel(d.modelId, Number(e.target.value))}>
          {d.versions.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version}
            </option>
          ))}
        </select>
      )}
      <button type="button" data-testid="save-model" onClick={() => void saveModel()} disabled={!dirty && d.savedVersion !== null}>
        Save{dirty ? ` v${(d.versions[0]?.version ?? 0) + 1}` : ''}
      </button>
      <select aria-label="Bind dataset" value={d.binding?.versionId ?? ''} onChange={(e) => void bindDataset(e.target.value ? Number(e.target.value) : null)} title="Shape the Input and output layers for a dataset">
        <option value="">No dataset</option>
        {datasets.flatMap((ds) =>
          ds.versions.map((v) => (
            <option key={v.id} value={v.id}>
              {ds.name} v{v.version}
            </option>
          )),
        )}
      </select>
      <span className="sep" />
      <button type="button" onClick={undoEdit} disabled={!canUndo(d.history)} title="Undo (Ctrl+Z)">
        Undo
      </button>
      <button type="button" onClick={redoEdit} disabled={!canRedo(d.history)} title="Redo (Ctrl+Shift+Z)">
        Redo
      </button>
      <button type="button" onClick={() => { autoLayout(); setTimeout(() => flow.fitView({ maxZoom: 1 }), 0) }} title="Auto layout: arrange the layers top to bottom">
        Layout
      </button>
      <button type="button" onClick={() => flow.fitView({ maxZoom: 1 })} title="Zoom to fit">
        Fit
      </button>
      <span className="sep" />
      <button type="button" onClick={() => fileInput.current?.click()} title="Import JSON: open a TF.js / Keras model.json">
        Import…
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="import-json"
        onChange={(e) => {
          const file = e.target.files?.[0]
          e.target.value = ''
          if (file) void file.text().then((text) => importTfjsText(text, file.name))
        }}
      />
      <button
        type="button"
        onClick={() => {
          const r = exportTfjsText()
          if (r.ok) download(`${d.modelName.replace(/[^\w.-]+/g, '_') || 'model'}.json`, r.text)
          else showDesignerMessage('error', `Cannot export: ${r.message}`)
        }}
        title="Export JSON: save the architecture as TF.js Layers JSON (Keras topology)"
      >
        Export…
      </button>
      {dirty && (
        <span className="unsaved" data-testid="unsaved" title="The canvas has changes that are not saved as a version yet">
          ● unsaved
        </span>
      )}
    </div>
  )
}
