import { useEffect } from 'react'
import { useAppStore } from '../store'
import { loadRuns, subscribeRunEvents } from '../store/runsActions'
import { ComparePage } from '../compare/ComparePage'
import { DatasetsPage } from '../datasets/DatasetsPage'
import { DesignerPage } from '../designer/DesignerPage'
import { RunsPage } from '../runs/RunsPage'
import { ErrorReports } from './ErrorReports'
import { SectionBoundary } from './SectionBoundary'
import { Sidebar } from './Sidebar'
import { StatusBar } from './StatusBar'
import { SystemPanel } from './SystemPanel'
import { useTheme } from './useTheme'

const PAGES = { datasets: DatasetsPage, designer: DesignerPage, runs: RunsPage, compare: ComparePage }

/** The app frame: sidebar, the open section, the status bar. */
export function App() {
  useTheme()
  // Run events are followed for the whole app: a running run shows in the status bar from every section.
  useEffect(() => {
    void loadRuns()
    return subscribeRunEvents()
  }, [])
  const section = useAppStore((s) => s.section)
  const statusError = useAppStore((s) => s.statusError)
  const Page = PAGES[section]
  return (
    <div className="app">
      <Sidebar />
      <main className="page" aria-label={section}>
        {statusError && (
          <div role="alert" className="banner error">
            {statusError}
          </div>
        )}
        <ErrorReports />
        <SectionBoundary key={section} section={section}>
          <Page />
        </SectionBoundary>
      </main>
      <StatusBar />
      <SystemPanel />
    </div>
  )
}
