import type { CsvImportDraft } from './datasetsSlice'

/** The reading choices of the draft a preview and an import both send (undefined: let the sniffer decide). */
export function csvReadingOptions(d: CsvImportDraft) {
  return {
    encoding: d.encoding,
    delimiter: d.delimiter,
    decimal: d.decimal,
    header: d.header,
    skipLines: d.skipLines,
    comment: d.comment,
    thousands: d.thousands,
    dateOrder: d.dateOrder,
  }
}
