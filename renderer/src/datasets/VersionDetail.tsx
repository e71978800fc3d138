import { useAppStore } from '../store'
import { DesignModelButton } from './DesignModelButton'

/** A stored dataset version: source, schema, recipe, split counts and what was skipped. */
export function VersionDetail() {
  const v = useAppStore((s) => s.datasets.selectedVersion)
  // The import banner offers the same button for the version just imported; one is enough.
  const offeredAbove = useAppStore((s) => s.datasets.message?.versionId)
  if (!v) return null
  const schema = v.schema as { kind: string; columns?: { name: string; type: string }[]; classes?: string[]; height?: number; width?: number; channels?: number; badRows?: { total: number }; skipped?: { total: number; files: { path: string; reason: string }[] } }
  const split = v.split as { counts?: Record<string, number> } | null
  return (
    <section className="version-detail" data-testid="version-detail">
      <h2>
        {v.datasetName} v{v.version}
      </h2>
      {offeredAbove !== v.id && <DesignModelButton versionId={v.id} />}
      <p className="muted">
        {v.sourceName} · {v.rowCount.toLocaleString('en-US')} rows · sha256 {v.sourceHash.slice(0, 12)}… · {new Date(v.createdAt).toLocaleString()}
      </p>
      {split?.counts && (
        <p>
          Split: {Object.entries(split.counts).map(([k, n]) => `${k} ${n}`).join(' · ')}
        </p>
      )}
      {schema.kind === 'tabular' && (
        <>
          <p>
            Target: <strong>{v.recipe?.target?.column ?? 'none'}</strong> ({v.recipe?.target?.task ?? '–'}
            {v.recipe?.target?.classes ? `, ${v.recipe.target.classes.length} classes` : ''}) · {v.recipe?.width ?? 0} features after preprocessing
          </p>
          {schema.badRows && schema.badRows.total > 0 && <p className="muted">{schema.badRows.total} bad rows were skipped.</p>}
          <ul className="columns-summary">
            {schema.columns?.map((c) => (
              <li key={c.name}>
                {c.name} <em className={`type-badge t-${c.type}`}>{c.type}</em>
              </li>
            ))}
          </ul>
        </>
      )}
      {schema.kind === 'image' && (
        <>
          <p>
            {schema.height}×{schema.width}×{schema.channels} · classes: {schema.classes?.join(', ')}
          </p>
          {schema.skipped && schema.skipped.total > 0 && (
            <details>
              <summary>{schema.skipped.total} files skipped</summary>
              <ul>
                {schema.skipped.files.map((f) => (
                  <li key={f.path}>
                    {f.path}: {f.reason}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  )
}
