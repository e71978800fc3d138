import { useAppStore } from '../store'
import { setPaging } from '../store/compareActions'
import { offsetOfPage, pageInfo, PAGE_SIZES } from './tableQuery'

/** Previous/next page and page size; the server does the paging, so only one page is ever loaded. */
export function Pagination() {
  const page = useAppStore((s) => s.compare.page)
  const limit = useAppStore((s) => s.compare.limit)
  const offset = useAppStore((s) => s.compare.offset)
  const loading = useAppStore((s) => s.compare.loading)
  const total = page?.total ?? 0
  const { page: n, pages } = pageInfo(total, limit, offset)
  const first = total === 0 ? 0 : offset + 1
  const last = Math.min(total, offset + (page?.rows.length ?? 0))
  return (
    <div className="pagination" data-testid="pagination">
      <button type="button" className="small" disabled={n <= 1} onClick={() => void setPaging(offsetOfPage(n - 1, total, limit))}>
        ‹ Previous
      </button>
      <span>
        {first}–{last} of {total} runs · page {n} of {pages}
        {loading ? ' · loading…' : ''}
      </span>
      <button type="button" className="small" disabled={n >= pages} onClick={() => void setPaging(offsetOfPage(n + 1, total, limit))}>
        Next ›
      </button>
      <label>
        per page{' '}
        <select aria-label="Runs per page" value={limit} onChange={(e) => void setPaging(0, Number(e.target.value))}>
          {PAGE_SIZES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
    </div>
  )
}
