import { openSection } from '../store/actions'
import { designModelFor } from '../store/designerActions'

/** "Design a model for it": opens the Designer on a model already shaped for this dataset version. */
export function DesignModelButton(props: { versionId: number }) {
  return (
    <button
      type="button"
      className="small primary-outline"
      data-testid="design-model"
      onClick={() =>
        void designModelFor(props.versionId).then((ok) => {
          if (ok) void openSection('designer')
        })
      }
    >
      Design a model for it →
    </button>
  )
}
