// Issue codes reported by graph validation, with their meaning.
//
// | code | severity | meaning                                                                  |
// |------|----------|--------------------------------------------------------------------------|
// | E001 | error    | the graph has a cycle (nodeId = each node on a cycle)                    |
// | E002 | error    | the graph has no Input layer                                             |
// | E003 | error    | unconnected node: a layer with no input, or an Input feeding nothing     |
// | E004 | error    | wrong number of inputs for the layer (e.g. Add with one input)           |
// | E005 | error    | Add inputs don't all have the same shape                                 |
// | E006 | error    | Concatenate inputs differ outside the concat axis (or bad axis)          |
// | E007 | error    | Dense receives an image-like tensor (rank ≥ 3 per sample): insert Flatten |
// | E008 | error    | 2-D conv/pooling layer gets an input that is not [height, width, ch]     |
// | E009 | error    | 1-D conv/pooling layer gets an input that is not [steps, channels]       |
// | E010 | error    | recurrent layer gets an input that is not [timesteps, features]          |
// | E011 | error    | an output dimension would be ≤ 0 (window larger than input, 'valid')     |
// | E012 | error    | Reshape target size doesn't match the input size                         |
// | E013 | error    | invalid parameter value (field = the parameter)                          |
// | E014 | error    | input rank not supported by this layer (Flatten of a vector, ...)        |
// | E015 | error    | unknown layer type                                                       |
// | E016 | error    | a dimension the layer needs is unknown (variable-size)                   |
// | E017 | error    | edge refers to a missing node, or the same connection exists twice       |
// | E018 | error    | layer name empty, invalid for tfjs, or used by another layer             |
// | E019 | error    | the model does not fit the dataset it is bound to (input, output, vocab) |
// | W001 | warning  | more than one output: a layer whose output is not used (dangling)        |
// | W002 | warning  | Dense on a sequence [steps, features]: applied per step, not flattened   |
// | W003 | warning  | softmax output units differ from the dataset's class count               |
// | W004 | warning  | sigmoid output on a multi-class problem (use softmax)                    |
// | W005 | warning  | binary problem: sigmoid output should have exactly 1 unit                |
// | W006 | warning  | softmax over a single unit always outputs 1                              |

/** Every issue code; see the table above. */
export type IssueCode =
  | 'E001'
  | 'E002'
  | 'E003'
  | 'E004'
  | 'E005'
  | 'E006'
  | 'E007'
  | 'E008'
  | 'E009'
  | 'E010'
  | 'E011'
  | 'E012'
  | 'E013'
  | 'E014'
  | 'E015'
  | 'E016'
  | 'E017'
  | 'E018'
  | 'E019'
  | 'W001'
  | 'W002'
  | 'W003'
  | 'W004'
  | 'W005'
  | 'W006'

/** A problem found in the graph; errors block export/training, warnings don't. */
export interface Issue {
  code: IssueCode
  severity: 'error' | 'warning'
  nodeId?: string
  field?: string
  message: string
  /** A short suggested fix, when there is an obvious one. */
  fix?: string
}

/** Short titles per code (for docs/tooltips). */
export const ISSUE_TITLES: Readonly<Record<IssueCode, string>> = {
  E001: 'Cycle in graph',
  E002: 'No Input layer',
  E003: 'Unconnected layer',
  E004: 'Wrong number of inputs',
  E005: 'Add inputs differ in shape',
  E006: 'Concatenate inputs do not line up',
  E007: 'Dense on an image-like tensor',
  E008: 'Needs an image input [h, w, c]',
  E009: 'Needs a sequence input [steps, channels]',
  E010: 'Recurrent layer needs [timesteps, features]',
  E011: 'Output dimension ≤ 0',
  E012: 'Reshape size mismatch',
  E013: 'Invalid parameter',
  E014: 'Unsupported input rank',
  E015: 'Unknown layer type',
  E016: 'Unknown dimension',
  E017: 'Invalid connection',
  E018: 'Invalid layer name',
  E019: 'Does not fit the bound dataset',
  W001: 'Unused output',
  W002: 'Dense applied per step',
  W003: 'Softmax units ≠ class count',
  W004: 'Sigmoid on a multi-class problem',
  W005: 'Binary output should have 1 sigmoid unit',
  W006: 'Softmax over one unit',
}

/** Builds an issue; severity follows the code's first letter. */
export function issue(
  code: IssueCode,
  message: string,
  extra: { nodeId?: string; field?: string; fix?: string } = {},
): Issue {
  const out: Issue = { code, severity: code.startsWith('E') ? 'error' : 'warning', message }
  if (extra.nodeId !== undefined) out.nodeId = extra.nodeId
  if (extra.field !== undefined) out.field = extra.field
  if (extra.fix !== undefined) out.fix = extra.fix
  return out
}

/** True if any issue is an error. */
export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error')
}
