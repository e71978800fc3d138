import { z } from 'zod'

// Schemas of runs' JSON columns as the store reads them back (main/store/queries parses with these).
// The full TrainConfig is checked with the contract's trainConfigSchema where a run is loaded to
// train or show; lists and diffs only need an object to pick keys from, which old rows also are.

/** runs.tags_json: the run's tags. */
export const storedTagsSchema = z.array(z.string())

/** runs.config_json as lists and config diffs read it: an object of settings. */
export const storedConfigSchema = z.record(z.string(), z.unknown())
