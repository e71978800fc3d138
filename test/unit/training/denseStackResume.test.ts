// Checkpoints keep one format whichever stepper wrote them: a run stopped on the fused dense
// stepper resumes on tfjs-layers' stock stepper and the other way round, and ends where the
// uninterrupted run ends (to float rounding, as the two steppers round differently).
import * as tf from '@tensorflow/tfjs'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { TrainConfig } from '../../../common/contract'
import type { Core } from '../../../main/core/createCore'
import { setDenseStackEnabled } from '../../../main/training/backends/denseStack/denseStackStepper'
import { loadNewestCheckpoint } from '../../../main/training/checkpoint'
import { createRun } from '../../../main/store/queries/runRecords'
import { CPU_CONFIG, fitSession, gateSetup, inProcessCore, newestWeights } from './support'
import { maxRelError } from './wasmHarness'

let core: Core | null = null
afterEach(async () => {
  setDenseStackEnabled(true)
  await core?.close()
  core = null
})
beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** One fit session on the fused (or stock) stepper, stopped once the global step reaches `stopAt`. */
function session(c: Core, runId: number, resume: boolean, stopAt: number | null, fused: boolean): Promise<'completed' | 'stopped'> {
  setDenseStackEnabled(fused)
  return fitSession(c, runId, resume, stopAt)
}


const flat = (ws: Float32Array[]) => Float32Array.from(ws.flatMap((w) => Array.from(w)))

describe('resume across steppers (cpu backend)', () => {
  for (const optimizer of ['adam', 'rmsprop', 'momentum'] as const)
    it(`${optimizer}: stock → fused and fused → stock both end at the uninterrupted run's weights`, async () => {
      core = inProcessCore()
      const ids = await gateSetup(core, 'xor')
      const config: TrainConfig = { ...CPU_CONFIG, optimizer, momentum: 0.5, learningRate: 0.05, epochs: 3 }
      const whole = createRun(core.db, { name: 'whole', ...ids, config })
      expect(await session(core, whole, false, null, false)).toBe('completed')
      const reference = flat(newestWeights(core, whole))
      for (const [first, second] of [
        [false, true],
        [true, false],
      ] as const) {
        const runId = createRun(core.db, { name: `${first}-${second}`, ...ids, config })
        // Mid-epoch (20 steps an epoch): optimizer state and the epoch's running sums go through the checkpoint.
        expect(await session(core, runId, false, 27, first)).toBe('stopped')
        const ckpt = loadNewestCheckpoint(core.db, runId)
        expect(ckpt?.meta.step).toBe(27)
        expect(ckpt?.optimizer.length, 'the stopped run saved its optimizer state').toBeGreaterThan(1)
        expect(await session(core, runId, true, null, second)).toBe('completed')
        expect(maxRelError(flat(newestWeights(core, runId)), reference), `${first ? 'fused' : 'stock'} then ${second ? 'fused' : 'stock'}`).toBeLessThan(1e-5)
      }
    })

})
