// In-process invalidation bus: caches subscribe, changes publish. The Redis-backed bus (several
// instances) wraps this one and also relays events over pub/sub.
import type { InvalidationBus, InvalidationEvent } from '../services.js';

export function createLocalInvalidationBus(): InvalidationBus & { deliver(event: InvalidationEvent): void } {
  const listeners: ((event: InvalidationEvent) => void)[] = [];
  const deliver = (event: InvalidationEvent) => { for (const l of listeners) l(event); };
  return {
    publish: deliver,
    deliver,
    subscribe(listener) { listeners.push(listener); },
  };
}

/** Whether the event changes nothing but permissions (see InvalidationEvent): tokens and budgets stand. */
export function onlyPermissions(event: InvalidationEvent): boolean {
  return (event.kind === 'account' || event.kind === 'principal') && event.permissionsOnly === true;
}
