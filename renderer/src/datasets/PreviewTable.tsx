import { useVirtualizer } from '@tanstack/react-virtual'
import { useMemo, useRef } from 'react'
import type { ColumnInfo } from '../../../common/contract'

const ROW_HEIGHT = 26
const INDEX_WIDTH = 48
const MIN_COLUMN = 90
const MAX_COLUMN = 240
/** Approximate width of one character of the 12px table font (plus the cell's padding below). */
const CHAR_PX = 7.2
const CELL_PADDING = 18
/** How many rows are sampled to size the columns: enough to see typical values, cheap on wide files. */
const SIZE_SAMPLE_ROWS = 200

/**
 * One width per column for the whole table, from its header (with its type badge) and a sample of
 * its values, clamped: every row uses the same grid, so values stay under their headers.
 */
export function previewColumnWidths(header: string[], columns: ColumnInfo[], rows: string[][]): number[] {
  return header.map((h, c) => {
    const badge = (columns[c]?.type ?? '').length + 2
    let longest = h.length + badge
    for (let r = 0; r < Math.min(rows.length, SIZE_SAMPLE_ROWS); r++) longest = Math.max(longest, (rows[r][c] ?? '').length)
    return Math.round(Math.min(MAX_COLUMN, Math.max(MIN_COLUMN, longest * CHAR_PX + CELL_PADDING)))
  })
}

/**
 * The preview rows as a virtualized table (only the visible rows are in the DOM) on one fixed grid:
 * the header and every row share the same column widths, wide files scroll sideways, and cut
 * names and values show in full on hover.
 */
export function PreviewTable(props: { columns: ColumnInfo[]; header: string[]; rows: string[][] }) {
  const parent = useRef<HTMLDivElement>(null)
  const v = useVirtualizer({ count: props.rows.length, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 12 })
  const widths = useMemo(() => previewColumnWidths(props.header, props.columns, props.rows), [props.header, props.columns, props.rows])
  const template = `${INDEX_WIDTH}px ${widths.map((w) => `${w}px`).join(' ')}`
  const totalWidth = INDEX_WIDTH + widths.reduce((a, b) => a + b, 0)
  return (
    <div className="preview-table" ref={parent} data-testid="preview-table">
      <div className="pt-grid" style={{ width: totalWidth }}>
        <div className="pt-head" role="row" style={{ gridTemplateColumns: template }}>
          <span>#</span>
          {props.header.map((h, i) => {
            const col = props.columns[i]
            return (
              <span key={i} role="columnheader" data-col={i} title={[h, col?.type, col?.note].filter(Boolean).join(' · ')}>
                <span className="pt-name">{h}</span>
                <em className={`type-badge t-${col?.type}`}>{col?.type}</em>
              </span>
            )
          })}
        </div>
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((item) => (
            <div key={item.key} className="pt-row" role="row" data-row={item.index} style={{ gridTemplateColumns: template, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}>
              <span className="muted">{item.index + 1}</span>
              {props.header.map((_, c) => {
                const cell = props.rows[item.index][c] ?? ''
                return (
                  <span key={c} data-col={c} className={cell === '' ? 'missing' : undefined} title={cell.length * CHAR_PX + CELL_PADDING > widths[c] ? cell : undefined}>
                    {cell === '' ? '∅' : cell}
                  </span>
                )
              })}
            </div>
          ))}
        </div>
      </div>
    </div>
  )
}
