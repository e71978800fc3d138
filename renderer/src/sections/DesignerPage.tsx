import { SectionPage } from './EmptyState'

/** Designer: the network editor. */
export function DesignerPage() {
  return (
    <SectionPage
      section="designer"
      title="Designer"
      lead="Draw a network layer by layer; shapes, parameter counts and mistakes show as you edit."
      emptyTitle="No models yet"
      steps={[
        'Start from a template (XOR MLP, MNIST CNN, CIFAR-10 CNN, text LSTM) or an empty canvas.',
        'Bind it to a dataset so the input and output layers fit the data.',
        'Save: every save is a new version that runs point to.',
      ]}
    />
  )
}
