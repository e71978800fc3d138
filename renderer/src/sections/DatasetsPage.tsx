import { SectionPage } from './EmptyState'

/** Datasets: imported CSV files and image folders with their versions. */
export function DatasetsPage() {
  return (
    <SectionPage
      section="datasets"
      title="Datasets"
      lead="Every dataset is a versioned import of a CSV file or a folder of images, stored in the workbench database."
      emptyTitle="No datasets yet"
      steps={[
        'Import a CSV file (one row per sample, one column per feature, plus a target column) or a folder with one subfolder per class of images.',
        'Check the preview: column types, the target, and how each column is preprocessed.',
        'Then open the Designer to draw a network for it.',
      ]}
    />
  )
}
