// Comparing runs: hyperparameters side by side, and what changed between two model graphs.
export { diffConfigs, onlyDifferences, flattenConfig, type ConfigDiffRow, type ConfigDiffOptions } from './configDiff'
export { diffArchitectures, type ArchitectureDiff, type LayerChange, type LayerRef, type ParamChange } from './architectureDiff'
