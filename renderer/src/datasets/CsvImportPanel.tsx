import { useAppStore } from '../store'
import { editDraft, previewCsv, startImport } from '../store/datasetsActions'
import { ColumnPanel } from './ColumnPanel'
import { PreviewTable } from './PreviewTable'
import { TargetPicker } from './TargetPicker'
import { ReadingControls } from './ReadingControls'
import { SkippedLines } from './SkippedLines'

const DELIMITERS: [string, string][] = [[',', 'comma'], [';', 'semicolon'], ['\t', 'tab'], ['|', 'pipe']]

/** A previewed CSV: how it was read (changeable), its rows and columns, bad rows, and the import form. */
export function CsvImportPanel() {
  const p = useAppStore((s) => s.datasets.csvPreview)
  const d = useAppStore((s) => s.datasets.draft)
  const busy = useAppStore((s) => s.datasets.previewing || s.datasets.job !== null)
  if (!p || !d) return null
  const dialect = p.dialect
  const reread = (patch: Parameters<typeof editDraft>[0]) => {
    editDraft(patch)
    void previewCsv()
  }
  const splitSum = d.split.train + d.split.validation + d.split.test
  return (
    <section className="csv-import" data-testid="csv-preview">
      <h2>{p.file}</h2>
      <div className="dialect" data-testid="dialect">
        <label>
          Encoding
          <select value={d.encoding ?? dialect.encoding} onChange={(e) => reread({ encoding: e.target.value as never })}>
            {['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'].map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
        </label>
        <label>
          Delimiter
          <select aria-label="Delimiter" value={d.delimiter ?? dialect.delimiter} onChange={(e) => reread({ delimiter: e.target.value })}>
            {DELIMITERS.map(([v, n]) => (
              <option key={n} value={v}>
                {n}
              </option>
            ))}
            {!DELIMITERS.some(([v]) => v === dialect.delimiter) && <option value={dialect.delimiter}>“{dialect.delimiter}”</option>}
          </select>
        </label>
        <label>
          Decimal
          <select value={d.decimal ?? dialect.decimal} onChange={(e) => reread({ decimal: e.target.value as '.' | ',' })}>
            <option value=".">.</option>
            <option value=",">,</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={d.header ?? dialect.header} onChange={(e) => reread({ header: e.target.checked })} /> First row is the header
        </label>
        <ReadingControls dialect={dialect} draft={d} reread={reread} />
        <span className="muted" data-testid="encoding-reason">
          {dialect.encoding} ({dialect.encodingReason}){dialect.bom ? ', BOM removed' : ''} · {p.basis.note}
        </span>
      </div>
      {p.badRows.total > 0 && (
        <div className="banner error" data-testid="bad-rows">
          {p.badRows.total} bad row(s):
          <ul>
            {p.badRows.rows.slice(0, 5).map((r) => (
              <li key={r.line}>
                line {r.line}: {r.message}
              </li>
            ))}
          </ul>
          <label>
            On bad rows:{' '}
            <select aria-label="On bad rows" value={d.onBadRow} onChange={(e) => editDraft({ onBadRow: e.target.value as 'abort' | 'skip' })}>
              <option value="skip">skip them (listed with the version)</option>
              <option value="abort">abort the import</option>
            </select>
          </label>
        </div>
      )}
      <SkippedLines dialect={dialect} />
      <TargetPicker columns={p.columns} draft={d} />
      <PreviewTable columns={p.columns} header={p.header} rows={p.rows} />
      <ColumnPanel columns={p.columns} draft={d} />
      <div className="import-form">
        <label>
          Name <input aria-label="Dataset name" value={d.name} onChange={(e) => editDraft({ name: e.target.value })} />
        </label>
        {(['train', 'validation', 'test'] as const).map((k) => (
          <label key={k}>
            {k}
            <input type="number" step="0.05" min="0" max="1" value={d.split[k]} onChange={(e) => editDraft({ split: { ...d.split, [k]: Number(e.target.value) } })} />
          </label>
        ))}
        <label>
          seed <input type="number" value={d.split.seed} onChange={(e) => editDraft({ split: { ...d.split, seed: Number(e.target.value) } })} />
        </label>
        <button type="button" className="primary" data-testid="start-import" disabled={busy || Math.abs(splitSum - 1) > 1e-6} onClick={() => void startImport()}>
          Import
        </button>
        {Math.abs(splitSum - 1) > 1e-6 && <span className="field-error">The splits add up to {splitSum.toFixed(2)}; they must add up to 1.</span>}
      </div>
    </section>
  )
}
