// The shared memory data-parallel replicas meet in: one gradient slot and one loss per replica,
// and a reusable barrier. Every replica writes its own slot, waits, then reads all of them.
/** What every replica needs to attach to the same shared step memory. */
export interface SharedStepInit {
  control: SharedArrayBuffer
  /** UTF-8 text of the first replica error (a blocked leader cannot read messages). */
  error: SharedArrayBuffer
  grads: SharedArrayBuffer
  replicas: number
  /** Total trainable parameters (floats per gradient slot). */
  params: number
}

const COUNT = 0
const GENERATION = 1
const FAILED = 2
const ERROR_BYTES = 4096
/** Floats each replica reports after its gradient: loss, rows, accuracy. */
const REPORT_FLOATS = 3

/** Views over the shared step memory. */
export class SharedStep {
  readonly control: Int32Array
  /** Gradient slots: replica r owns [r*params, (r+1)*params); loss, row count and accuracy follow all slots. */
  readonly grads: Float32Array
  constructor(readonly init: SharedStepInit) {
    this.control = new Int32Array(init.control)
    this.grads = new Float32Array(init.grads)
  }

  /** Allocates shared memory for `replicas` replicas of a model with `params` trainable floats. */
  static create(replicas: number, params: number): SharedStep {
    return new SharedStep({
      control: new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT),
      error: new SharedArrayBuffer(ERROR_BYTES),
      grads: new SharedArrayBuffer((replicas * params + REPORT_FLOATS * replicas) * Float32Array.BYTES_PER_ELEMENT),
      replicas,
      params,
    })
  }

  /** Replica r's gradient slot. */
  slot(r: number): Float32Array {
    return this.grads.subarray(r * this.init.params, (r + 1) * this.init.params)
  }

  /** Records replica r's shard loss, row count and accuracy (0 when the run has none) for this step. */
  report(r: number, loss: number, rows: number, accuracy = 0): void {
    const at = this.init.replicas * this.init.params + REPORT_FLOATS * r
    this.grads[at] = loss
    this.grads[at + 1] = rows
    this.grads[at + 2] = accuracy
  }

  /** Loss, row count and accuracy replica r reported. */
  reported(r: number): { loss: number; rows: number; accuracy: number } {
    const at = this.init.replicas * this.init.params + REPORT_FLOATS * r
    return { loss: this.grads[at] as number, rows: this.grads[at + 1] as number, accuracy: this.grads[at + 2] as number }
  }

  /** Whether a replica has failed (or the step memory was shut down). */
  get failed(): boolean {
    return Atomics.load(this.control, FAILED) !== 0
  }

  private throwIfFailed(): void {
    if (!Atomics.load(this.control, FAILED)) return
    const text = new TextDecoder().decode(new Uint8Array(this.init.error).slice()).replace(/\0+$/, '')
    throw new Error(`a data-parallel replica failed: ${text}`)
  }

  /** Marks the step failed with `message` and wakes every replica waiting in the barrier (they then throw it). */
  fail(message: string): void {
    if (Atomics.compareExchange(this.control, FAILED, 0, 1) === 0) {
      const bytes = new TextEncoder().encode(message).subarray(0, ERROR_BYTES)
      new Uint8Array(this.init.error).set(bytes)
    }
    Atomics.add(this.control, GENERATION, 1)
    Atomics.notify(this.control, GENERATION)
  }

  /**
   * Counts this replica in at the barrier: the last to arrive opens it and gets null; the others
   * get the generation to wait on, after a short spin (the other replica is usually within
   * microseconds, and a futex wake costs more).
   */
  private arrive(): number | null {
    const gen = Atomics.load(this.control, GENERATION)
    this.throwIfFailed()
    if (Atomics.add(this.control, COUNT, 1) === this.init.replicas - 1) {
      Atomics.store(this.control, COUNT, 0)
      Atomics.add(this.control, GENERATION, 1)
      Atomics.notify(this.control, GENERATION)
      return null
    }
    for (let i = 0; i < 2000 && Atomics.load(this.control, GENERATION) === gen; i++);
    return gen
  }

  /**
   * Blocks until all replicas arrive (generation barrier: the last to arrive resets the count and
   * bumps the generation). Atomics.wait is allowed in worker threads and in Node's main thread.
   * Throws after `timeoutMs` so a replica that died cannot hang the others forever.
   */
  barrier(timeoutMs = 120_000): void {
    const gen = this.arrive()
    if (gen === null) return
    const deadline = Date.now() + timeoutMs
    while (Atomics.load(this.control, GENERATION) === gen) {
      if (Date.now() > deadline) throw new Error(`a data-parallel replica did not reach the step barrier within ${timeoutMs} ms`)
      Atomics.wait(this.control, GENERATION, gen, 1000)
    }
    this.throwIfFailed()
  }

  /**
   * The barrier for a thread that must keep its event loop running while it waits (the leader:
   * a helper's exit event, which reports a helper that died, is delivered there). Waits with
   * Atomics.waitAsync after the same short spin, and throws the failure like barrier().
   */
  async barrierAsync(timeoutMs = 120_000): Promise<void> {
    const gen = this.arrive()
    if (gen === null) return
    const deadline = Date.now() + timeoutMs
    while (Atomics.load(this.control, GENERATION) === gen) {
      if (Date.now() > deadline) throw new Error(`a data-parallel replica did not reach the step barrier within ${timeoutMs} ms`)
      const w = waitAsync(this.control, GENERATION, gen, 1000)
      if (w.async) await w.value
    }
    this.throwIfFailed()
  }
}

/** Atomics.waitAsync (Node 16+; not yet in TypeScript's ES2022 lib). */
function waitAsync(a: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: Promise<string> | string } {
  return (Atomics as unknown as { waitAsync: typeof waitAsync }).waitAsync(a, index, value, timeoutMs)
}
