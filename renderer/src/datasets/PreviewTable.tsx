import { useVirtualizer } from '@tanstack/react-virtual'
import { useRef } from 'react'
import type { ColumnInfo } from '../../../preload/contract'

/** The preview rows as a virtualized table: only the visible rows are in the DOM. */
export function PreviewTable(props: { columns: ColumnInfo[]; header: string[]; rows: string[][] }) {
  const parent = useRef<HTMLDivElement>(null)
  const rowHeight = 26
  const v = useVirtualizer({ count: props.rows.length, getScrollElement: () => parent.current, estimateSize: () => rowHeight, overscan: 12 })
  const template = `48px repeat(${props.header.length}, minmax(110px, 1fr))`
  return (
    <div className="preview-table" ref={parent} data-testid="preview-table">
      <div className="pt-head" style={{ gridTemplateColumns: template }}>
        <span>#</span>
        {props.header.map((h, i) => (
          <span key={i} title={props.columns[i]?.note ?? ''}>
            {h} <em className={`type-badge t-${props.columns[i]?.type}`}>{props.columns[i]?.type}</em>
          </span>
        ))}
      </div>
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {v.getVirtualItems().map((item) => (
          <div key={item.key} className="pt-row" style={{ gridTemplateColumns: template, transform: `translateY(${item.start}px)`, height: rowHeight }}>
            <span className="muted">{item.index + 1}</span>
            {props.rows[item.index].map((cell, c) => (
              <span key={c} className={cell === '' ? 'missing' : undefined}>
                {cell === '' ? '∅' : cell}
              </span>
            ))}
          </div>
        ))}
      </div>
    </div>
  )
}
