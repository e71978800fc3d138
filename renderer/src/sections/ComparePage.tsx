import { SectionPage } from './EmptyState'

/** Compare: finished runs side by side. */
export function ComparePage() {
  return (
    <SectionPage
      section="compare"
      title="Compare"
      lead="Overlay the curves of several runs, see which hyperparameters differ, and compare their errors."
      emptyTitle="Nothing to compare yet"
      steps={['Train at least two runs (Runs).', 'Select them here to overlay their curves and tables.']}
    />
  )
}
