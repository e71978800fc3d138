import { defaultTargetTask, TARGET_COLUMN_TYPES } from '../../../common/graph'
import type { ColumnInfo } from '../../../common/contract'
import { editDraft } from '../store/datasetsActions'
import type { CsvImportDraft } from '../store/datasetsSlice'

/** The task the chosen target implies (or the one the person set), with what it means. */
function impliedTask(col: ColumnInfo, draft: CsvImportDraft): { task: 'classification' | 'regression'; detail: string } {
  const type = draft.columnTypes[col.name] ?? col.type
  const distinct = col.stats.uniqueCapped ? -1 : col.stats.unique
  const task = draft.task ?? defaultTargetTask(type, distinct)
  const detail = task === 'classification' ? `${col.stats.uniqueCapped ? 'at least ' : ''}${col.stats.unique} classes` : 'a number'
  return { task, detail }
}

/**
 * "What to predict": the target column, chosen once at the top of the preview, and the task it
 * implies (classification or regression), which follows every change of target or type.
 */
export function TargetPicker(props: { columns: ColumnInfo[]; draft: CsvImportDraft }) {
  const { columns, draft } = props
  const choosable = columns.filter((c) => TARGET_COLUMN_TYPES.has(draft.columnTypes[c.name] ?? c.type))
  const target = columns.find((c) => c.name === draft.target)
  const implied = target ? impliedTask(target, draft) : null
  return (
    <div className="target-picker" data-testid="target-picker">
      <label>
        <strong>What to predict</strong>
        <select
          aria-label="What to predict"
          value={draft.target ?? ''}
          onChange={(e) => {
            const name = e.target.value || null
            editDraft({ target: name, task: undefined, ignore: draft.ignore.filter((x) => x !== name) })
          }}
        >
          <option value="">nothing (no target yet)</option>
          {choosable.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {implied && (
        <>
          <span className={`task-chip t-${implied.task}`} data-testid="implied-task">
            {implied.task}: {implied.detail}
          </span>
          <label>
            Task
            <select aria-label="Task" value={draft.task ?? ''} onChange={(e) => editDraft({ task: (e.target.value || undefined) as CsvImportDraft['task'] })}>
              <option value="">auto</option>
              <option value="classification">classification</option>
              <option value="regression">regression</option>
            </select>
          </label>
        </>
      )}
      {!implied && <span className="muted">Choose the column the model should learn to predict; every other column is an input unless ignored.</span>}
    </div>
  )
}
