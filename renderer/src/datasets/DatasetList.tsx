import { useAppStore } from '../store'
import { deleteDataset, openVersion } from '../store/datasetsActions'

function size(bytes: number): string {
  return bytes > 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} KB`
}

/** Every dataset with its versions, sizes and row counts. */
export function DatasetList() {
  const list = useAppStore((s) => s.datasets.list)
  const selected = useAppStore((s) => s.datasets.selectedVersion?.id)
  if (!list.length) return <p className="muted">No datasets yet.</p>
  return (
    <ul className="dataset-list" data-testid="dataset-list">
      {list.map((d) => (
        <li key={d.id}>
          <div className="dataset-head">
            <strong>{d.name}</strong> <span className="muted">{d.kind}</span>
            <button type="button" className="link danger" title="Delete this dataset and all its versions" onClick={() => confirm(`Delete "${d.name}" and all its versions?`) && void deleteDataset(d.id)}>
              delete
            </button>
          </div>
          <ul>
            {d.versions.map((v) => (
              <li key={v.id}>
                <button type="button" className={`link${selected === v.id ? ' active' : ''}`} onClick={() => void openVersion(v.id)}>
                  v{v.version} · {v.rowCount.toLocaleString('en-US')} rows · {size(v.byteSize)}
                </button>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  )
}
