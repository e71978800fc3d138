import { useMemo, useState } from 'react'
import { CATALOG, LAYER_TYPES, type LayerCategory, type LayerType } from '../../../common/graph'

/** The drag data type of a palette item. */
export const LAYER_DRAG_TYPE = 'application/x-workbench-layer'

const CATEGORY_ORDER: LayerCategory[] = ['input', 'core', 'conv', 'pooling', 'reshape', 'recurrent', 'embedding', 'normalization', 'regularization', 'activation', 'merge', 'preprocessing']

/** The layer palette: drag a layer onto the canvas, or double-click to add it after the selection. */
export function Palette(props: { onAdd: (type: LayerType) => void }) {
  const [filter, setFilter] = useState('')
  const groups = useMemo(() => {
    const f = filter.trim().toLowerCase()
    return CATEGORY_ORDER.map((cat) => ({
      cat,
      types: LAYER_TYPES.filter((t) => CATALOG[t].category === cat && (!f || t.toLowerCase().includes(f))),
    })).filter((g) => g.types.length)
  }, [filter])
  return (
    <aside className="palette" aria-label="Layers">
      <input className="palette-filter" placeholder="Filter layers" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter layers" />
      {groups.map((g) => (
        <div key={g.cat} className="palette-group">
          <div className="palette-cat">{g.cat}</div>
          {g.types.map((t) => (
            <div
              key={t}
              className="palette-item"
              draggable
              data-testid={`palette-${t}`}
              title={`${CATALOG[t].docs}\nDrag onto the canvas, or double-click to add after the selected layer.`}
              onDragStart={(e) => {
                e.dataTransfer.setData(LAYER_DRAG_TYPE, t)
                e.dataTransfer.effectAllowed = 'move'
              }}
              onDoubleClick={() => props.onAdd(t)}
            >
              {t}
            </div>
          ))}
        </div>
      ))}
    </aside>
  )
}
