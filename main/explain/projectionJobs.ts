import type { Projection, ProjectionProgress, ProjectionRequest } from '../../common/explain/types'
import type { EventBus } from '../core/events'
import type { InferenceService } from '../training/inferenceService'

/** Which projection a person means: a checkpoint's split and layer (null: the default one). */
export type ProjectionTarget = Pick<ProjectionRequest, 'runId' | 'checkpointId' | 'split'> & { layer?: string }

const keyOf = (t: ProjectionTarget): string => JSON.stringify([t.runId, t.checkpointId, t.split, t.layer ?? null])

/**
 * Projections running in the inference worker, one per checkpoint, split and layer: asking again
 * while one runs joins it; progress goes out as 'projection.progress' events; Cancel tells the
 * worker to stop (it then stores nothing and the request ends with code 'cancelled').
 */
export class ProjectionJobs {
  private readonly running = new Map<string, { abort: AbortController; done: Promise<Projection> }>()

  constructor(
    private readonly inference: InferenceService,
    private readonly events: EventBus,
  ) {}

  /** The stored projection, or a new one computed in the worker. */
  project(r: ProjectionRequest): Promise<Projection> {
    const key = keyOf(r)
    const now = this.running.get(key)
    if (now) return now.done
    const abort = new AbortController()
    const done = this.inference
      .run<Projection>({ kind: 'project', ...r }, { signal: abort.signal, onProgress: (p) => this.events.emit('projection.progress', p as ProjectionProgress) })
      .finally(() => this.running.get(key)?.abort === abort && this.running.delete(key))
    this.running.set(key, { abort, done })
    return done
  }

  /** Stops the running projection of this target; false when none runs. */
  cancel(t: ProjectionTarget): { cancelled: boolean } {
    const job = this.running.get(keyOf(t))
    if (!job) return { cancelled: false }
    job.abort.abort()
    return { cancelled: true }
  }
}
