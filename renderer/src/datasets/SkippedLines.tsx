import type { CsvPreview } from '../../../common/contract'

type CsvDialect = CsvPreview['dialect']

/**
 * How the sniffer read the top of the file: the lines it skipped above the table (greyed, each
 * with its reason), why the first row is or is not the header, and how dates are read.
 */
export function SkippedLines({ dialect }: { dialect: CsvDialect }) {
  return (
    <div className="reading-notes" data-testid="reading-notes">
      {dialect.skipped.length > 0 && (
        <div data-testid="skipped-lines">
          <strong>
            {dialect.skipLines} line{dialect.skipLines === 1 ? '' : 's'} skipped above the table
          </strong>
          <ol className="skipped-lines">
            {dialect.skipped.map((l) => (
              <li key={l.line} value={l.line}>
                <code className="muted">{l.text || ' '}</code> <span className="reason">— {l.reason}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
      <div className="muted" data-testid="header-reason">
        {dialect.header ? 'First row is the header' : 'First row is data'}: {dialect.headerReason}
      </div>
      {dialect.commentLines > 0 && (
        <div className="muted" data-testid="comment-lines">
          {dialect.commentLines} comment line{dialect.commentLines === 1 ? '' : 's'} (starting with {dialect.comment}) left out
        </div>
      )}
      {dialect.dateOrderReason && (
        <div className="muted" data-testid="date-order-reason">
          Dates: {dialect.dateOrderReason}
        </div>
      )}
    </div>
  )
}
