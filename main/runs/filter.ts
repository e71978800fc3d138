// The runs table's value filter: `metric op number` conditions joined by AND, e.g.
//   val_accuracy > 0.9 AND loss.last <= 0.25 AND config.learningRate < 1e-2
// A bare metric means its best value (max for accuracy-like, min for loss-like); `.min`, `.max`,
// `.last` (or `.final`) and `.best` pick another statistic. `config.<path>` compares a hyperparameter.
import type { MetricStat } from '../../common/runs/types'

/** Comparison operators the filter understands ('==' is accepted as '='). */
export const FILTER_OPS = ['>', '>=', '<', '<=', '=', '!='] as const
/** One comparison operator. */
export type FilterOp = (typeof FILTER_OPS)[number]

/** What a condition compares: a metric statistic or a config value. */
export type FilterField = { kind: 'metric'; metric: string; stat: MetricStat } | { kind: 'config'; path: string[] }

/** One parsed condition. */
export interface FilterClause {
  field: FilterField
  op: FilterOp
  value: number
}

/** A filter that could not be parsed: the message names the bad token and its 1-based column. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly column: number,
    readonly token: string,
  ) {
    super(message)
    this.name = 'FilterSyntaxError'
  }
}

type TokenKind = 'ident' | 'number' | 'op' | 'and' | 'bad'
interface Token {
  kind: TokenKind
  text: string
  column: number
}

const STATS: Record<string, MetricStat> = { best: 'best', min: 'min', max: 'max', last: 'last', final: 'last' }
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/
const OP = /^(?:>=|<=|!=|==|>|<|=)/

function tokenize(src: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < src.length) {
    const rest = src.slice(i)
    const space = /^\s+/.exec(rest)
    if (space) {
      i += space[0].length
      continue
    }
    const column = i + 1
    const m = OP.exec(rest) ?? NUMBER.exec(rest) ?? IDENT.exec(rest) ?? /^&&/.exec(rest)
    if (!m) {
      out.push({ kind: 'bad', text: /^\S+/.exec(rest)?.[0] ?? rest[0] ?? '', column })
      break
    }
    const text = m[0]
    const kind: TokenKind = OP.test(text) ? 'op' : NUMBER.test(text) ? 'number' : text === '&&' || text.toUpperCase() === 'AND' ? 'and' : 'ident'
    out.push({ kind, text, column })
    i += text.length
  }
  return out
}

function fieldOf(tok: Token): FilterField {
  const parts = tok.text.split('.')
  if (parts[0] === 'config') {
    if (parts.length < 2) throw new FilterSyntaxError(`"config" at column ${tok.column} needs a key, e.g. config.learningRate.`, tok.column, tok.text)
    return { kind: 'config', path: parts.slice(1) }
  }
  if (parts.length === 1) return { kind: 'metric', metric: tok.text, stat: 'best' }
  const statName = parts[parts.length - 1] as string
  const stat = STATS[statName.toLowerCase()]
  if (parts.length > 2 || stat === undefined) {
    throw new FilterSyntaxError(
      `Unknown statistic "${statName}" in "${tok.text}" at column ${tok.column}: use best, min, max or last (e.g. ${parts[0]}.last).`,
      tok.column,
      tok.text,
    )
  }
  return { kind: 'metric', metric: parts[0] as string, stat }
}

const describe = (t: Token | undefined): string => (t ? `"${t.text}" at column ${t.column}` : 'the end of the filter')

/** Parses a filter expression; throws FilterSyntaxError naming the offending token. Empty input = no conditions. */
export function parseFilter(src: string): FilterClause[] {
  const toks = tokenize(src)
  const bad = toks.find((t) => t.kind === 'bad')
  if (bad) throw new FilterSyntaxError(`Unexpected "${bad.text}" at column ${bad.column}: write conditions like val_accuracy > 0.9.`, bad.column, bad.text)
  const clauses: FilterClause[] = []
  let i = 0
  while (i < toks.length) {
    if (clauses.length > 0) {
      const and = toks[i] as Token
      if (and.kind !== 'and') throw new FilterSyntaxError(`Expected AND between conditions, found ${describe(and)}.`, and.column, and.text)
      i++
      if (i >= toks.length) throw new FilterSyntaxError(`Expected a condition after "AND" at column ${and.column}, found the end of the filter.`, and.column, and.text)
    }
    const name = toks[i] as Token
    if (name.kind !== 'ident') {
      throw new FilterSyntaxError(`Expected a metric name (e.g. val_loss) or config.<key>, found ${describe(name)}.`, name.column, name.text)
    }
    const field = fieldOf(name)
    const op = toks[i + 1]
    if (op?.kind !== 'op') {
      throw new FilterSyntaxError(`Expected a comparison (>, >=, <, <=, =, !=) after "${name.text}", found ${describe(op)}.`, op?.column ?? src.length + 1, op?.text ?? '')
    }
    const num = toks[i + 2]
    if (num?.kind !== 'number') {
      throw new FilterSyntaxError(`Expected a number after "${name.text} ${op.text}", found ${describe(num)}.`, num?.column ?? src.length + 1, num?.text ?? '')
    }
    const value = Number(num.text)
    if (!Number.isFinite(value)) throw new FilterSyntaxError(`The number "${num.text}" at column ${num.column} is out of range.`, num.column, num.text)
    clauses.push({ field, op: (op.text === '==' ? '=' : op.text) as FilterOp, value })
    i += 3
  }
  return clauses
}
