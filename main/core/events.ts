import type { EventMap, EventName } from '../../common/contract'

/** A listener that receives every core event; transports forward them to their clients. */
export type EventListener = <E extends EventName>(event: E, payload: EventMap[E]) => void

/** A tiny typed event bus: services emit, transports listen. */
export class EventBus {
  private readonly listeners = new Set<EventListener>()

  /** Sends an event to every listener; a failing listener never stops the others. */
  emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const l of this.listeners) {
      try {
        l(event, payload)
      } catch (e) {
        console.error(`[events] listener for ${event} failed:`, e)
      }
    }
  }

  /** Adds a listener and returns its remover. */
  listen(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
