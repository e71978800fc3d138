import { useEffect } from 'react'
import { useAppStore } from '../store'
import { dismissMessage, loadFacets, loadMetricNames, loadPage, loadSelectedRows, subscribeCompareEvents } from '../store/compareActions'
import './compare.css'
import { CompareView } from './CompareView'
import { ConfirmDelete } from './ConfirmDelete'
import { Pagination } from './Pagination'
import { RunsFilters } from './RunsFilters'
import { RunsTable } from './RunsTable'
import { SelectionBar } from './SelectionBar'
import { hasFilter } from './tableQuery'
import { StudiesPanel } from '../studies/StudiesPanel'

/** Compare: every run in a filterable, sortable table; tick runs to put them side by side below. */
export function ComparePage() {
  const page = useAppStore((s) => s.compare.page)
  const filter = useAppStore((s) => s.compare.filter)
  const selectedCount = useAppStore((s) => s.compare.selected.length)
  const message = useAppStore((s) => s.compare.message)
  const stale = useAppStore((s) => s.compare.filterError !== null)
  useEffect(() => {
    void loadPage()
    void loadFacets()
    void loadSelectedRows()
    void loadMetricNames()
    return subscribeCompareEvents()
  }, [])
  const noRunsAtAll = page !== null && page.total === 0 && !hasFilter(filter)
  return (
    <section className="section compare" data-testid="section-compare">
      <h1>Compare</h1>
      <p className="lead">Every run in one table: filter, sort and tick runs to overlay their curves, diff their hyperparameters and architectures, and compare their errors.</p>
      {message && (
        <div role="alert" className={`banner ${message.kind}`} data-testid="compare-message">
          {message.text}{' '}
          <button type="button" className="link" aria-label="Dismiss" onClick={() => dismissMessage()}>
            ×
          </button>
        </div>
      )}
      {noRunsAtAll ? (
        <div className="empty" data-testid="empty-state">
          <h2>Nothing to compare yet</h2>
          <ol>
            <li>Train at least two runs (Runs).</li>
            <li>Tick them here to overlay their curves and tables.</li>
          </ol>
        </div>
      ) : (
        <>
          <RunsFilters />
          <SelectionBar />
          {stale && (
            <p className="notice" data-testid="stale-results">
              The filter has an error, so nothing below reflects it: the table and charts still show the last filter that worked.
            </p>
          )}
          <div className={stale ? 'stale' : undefined}>
            <RunsTable />
            <Pagination />
            {selectedCount > 0 ? <CompareView /> : <p className="muted">Tick runs in the table to compare them.</p>}
          </div>
        </>
      )}
      <StudiesPanel />
      <ConfirmDelete />
    </section>
  )
}
