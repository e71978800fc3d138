import type { CsvPreview } from '../../../common/contract'

type CsvDialect = CsvPreview['dialect']
import type { CsvImportDraft } from '../store/datasetsSlice'

const THOUSANDS: [CsvImportDraft['thousands'] & string, string][] = [['', 'none'], [',', '1,234'], ['.', '1.234'], [' ', '1 234']]

/** The sniffed reading choices past the delimiter: lines skipped above the table, comment marker, thousands separator, date order. */
export function ReadingControls({ dialect, draft, reread }: { dialect: CsvDialect; draft: CsvImportDraft; reread: (patch: Partial<CsvImportDraft>) => void }) {
  return (
    <>
      <label>
        Skip first
        <input
          aria-label="Skip first lines"
          type="number"
          min={0}
          max={10000}
          style={{ width: '5em' }}
          value={draft.skipLines ?? dialect.skipLines}
          onChange={(e) => {
            const n = Number(e.target.value)
            if (Number.isInteger(n) && n >= 0 && n <= 10000) reread({ skipLines: n })
          }}
        />
        lines
      </label>
      <label>
        Comment
        <input
          aria-label="Comment character"
          maxLength={1}
          style={{ width: '2.5em' }}
          placeholder="none"
          value={draft.comment ?? dialect.comment}
          onChange={(e) => reread({ comment: e.target.value })}
        />
      </label>
      <label>
        Thousands
        <select aria-label="Thousands separator" value={draft.thousands ?? dialect.thousands} onChange={(e) => reread({ thousands: e.target.value as CsvImportDraft['thousands'] })}>
          {THOUSANDS.map(([v, n]) => (
            <option key={n} value={v}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label>
        Dates
        <select aria-label="Date order" value={draft.dateOrder ?? dialect.dateOrder} onChange={(e) => reread({ dateOrder: e.target.value as 'dmy' | 'mdy' })}>
          <option value="mdy">month first (03/31/2021)</option>
          <option value="dmy">day first (31/03/2021)</option>
        </select>
      </label>
    </>
  )
}
