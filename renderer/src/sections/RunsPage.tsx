import { SectionPage } from './EmptyState'

/** Runs: training runs, live and finished. */
export function RunsPage() {
  return (
    <SectionPage
      section="runs"
      title="Runs"
      lead="Each run trains one model version on one dataset version; its metrics and checkpoints are kept."
      emptyTitle="No runs yet"
      steps={[
        'You need a dataset (Datasets) and a saved model (Designer).',
        'Pick both, set the optimizer, learning rate, batch size and epochs, and press Train.',
        'Watch the loss and accuracy curves live; pause, resume or stop at any time.',
      ]}
    />
  )
}
