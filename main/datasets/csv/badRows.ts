import { badInput } from '../errors'
import { BAD_ROW_LIST_LIMIT, type BadRow, type BadRowReport } from '../../../common/datasets/types'

/** What to do with a bad row: stop the import naming it, or leave it out and list it. */
export type BadRowPolicy = 'abort' | 'skip'

/** Collects refused rows; under 'abort' the first one stops everything with a message naming its line. */
export class BadRowCollector {
  readonly report: BadRowReport = { total: 0, rows: [] }

  constructor(
    private readonly file: string,
    private readonly policy: BadRowPolicy,
  ) {}

  /** Records a bad row (throws under 'abort'). */
  add(row: BadRow): void {
    if (this.policy === 'abort') {
      throw badInput(this.file, `line ${row.line}: ${row.message}. Fix the file, or choose to skip bad rows.`, { line: row.line, reason: row.reason })
    }
    this.report.total++
    if (this.report.rows.length < BAD_ROW_LIST_LIMIT) this.report.rows.push(row)
  }
}
