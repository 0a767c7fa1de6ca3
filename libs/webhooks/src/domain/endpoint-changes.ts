/** What an endpoint change may touch, as the audit log names it. */
export type EndpointField = 'url' | 'eventTypes' | 'enabled' | 'failingSince';

interface EndpointState {
  url: string;
  eventTypes: readonly string[];
  enabled: boolean;
  failingSince: Date | null;
}

/**
 * The fields that differ between an endpoint before and after a change; none means the change did
 * nothing (and is not audited). Event types are a set: a new order is no change.
 */
export function endpointChanges(before: EndpointState, after: EndpointState): EndpointField[] {
  const changed: EndpointField[] = [];
  if (before.url !== after.url) changed.push('url');
  if (!sameSet(before.eventTypes, after.eventTypes)) changed.push('eventTypes');
  if (before.enabled !== after.enabled) changed.push('enabled');
  if (before.failingSince?.getTime() !== after.failingSince?.getTime()) changed.push('failingSince');
  return changed;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((item) => right.has(item));
}
