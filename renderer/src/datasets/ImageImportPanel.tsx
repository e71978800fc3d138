import type { ImagePreviewResult } from '../../../common/contract'
import { useAppStore } from '../store'
import { Thumbnail } from './Thumbnail'
import { editImageDraft, startImport } from '../store/datasetsActions'


/** A previewed image folder: classes with counts and samples, skipped files, size and augmentation. */
export function ImageImportPanel() {
  const preview = useAppStore((s) => s.datasets.imagePreview) as ImagePreviewResult | null
  const d = useAppStore((s) => s.datasets.imageDraft)
  const busy = useAppStore((s) => s.datasets.job !== null)
  if (!preview || !d) return null
  const aug = d.augment
  const setAug = (k: string, v: number | boolean) => editImageDraft({ augment: { ...aug, [k]: v } })
  return (
    <section className="image-import" data-testid="image-preview">
      <h2>{preview.folder}</h2>
      <p className="muted">
        {preview.images} images in {preview.classes.length} classes{preview.hidden ? ` · ${preview.hidden} hidden files ignored` : ''} · {preview.note}
      </p>
      <div className="class-grid">
        {preview.classes.map((c) => (
          <div key={c.name} className="class-card" data-class={c.name}>
            <strong>{c.name}</strong> <span className="muted">{c.count} images</span>
            <div className="thumbs">
              {c.samples.map((s) => (
                <Thumbnail key={s.path} path={s.abs} title={s.path} />
              ))}
            </div>
          </div>
        ))}
      </div>
      {preview.skipped.length > 0 && (
        <details className="skipped" data-testid="skipped-files" open>
          <summary>{preview.skipped.length} files will be skipped</summary>
          <ul>
            {preview.skipped.map((f) => (
              <li key={f.path}>
                {f.path}: {f.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="import-form">
        <label>
          Name <input aria-label="Dataset name" value={d.name} onChange={(e) => editImageDraft({ name: e.target.value })} />
        </label>
        <label>
          Width <input type="number" min={1} max={1024} value={d.width} onChange={(e) => editImageDraft({ width: Number(e.target.value) })} />
        </label>
        <label>
          Height <input type="number" min={1} max={1024} value={d.height} onChange={(e) => editImageDraft({ height: Number(e.target.value) })} />
        </label>
        <label>
          Channels
          <select value={d.channels} onChange={(e) => editImageDraft({ channels: Number(e.target.value) as 1 | 3 })}>
            <option value={1}>grayscale</option>
            <option value={3}>RGB</option>
          </select>
        </label>
      </div>
      <fieldset className="augment">
        <legend>Augmentation (applied while training)</legend>
        <label>
          <input type="checkbox" checked={Boolean(aug.horizontalFlip)} onChange={(e) => setAug('horizontalFlip', e.target.checked)} /> horizontal flip
        </label>
        <label>
          <input type="checkbox" checked={Boolean(aug.verticalFlip)} onChange={(e) => setAug('verticalFlip', e.target.checked)} /> vertical flip
        </label>
        {([['rotationDegrees', 'rotation °', 45, 1], ['shift', 'shift', 0.5, 0.05], ['zoom', 'zoom', 0.5, 0.05], ['brightness', 'brightness', 1, 0.05]] as const).map(([k, label, max, step]) => (
          <label key={k}>
            {label} <input type="number" min={0} max={max} step={step} value={Number(aug[k] ?? 0)} onChange={(e) => setAug(k, Number(e.target.value))} />
          </label>
        ))}
      </fieldset>
      <button type="button" className="primary" data-testid="start-import" disabled={busy} onClick={() => void startImport()}>
        Import
      </button>
    </section>
  )
}
