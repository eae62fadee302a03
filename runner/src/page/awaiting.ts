/**
 * What a waiting task waits for, in the words `baton status` uses: computed once on the server so
 * the rendered page and the live script (which only sets it as text) say the same thing.
 */
import type { TaskAwaiting } from '../contract/index.ts';

/** "waiting for one event {type=order.placed, source=/shop}", "waiting for any of signal approve, update reject". */
export function awaitingText(awaiting: TaskAwaiting): string {
  if (awaiting.kind === 'messages') {
    const messages = [...awaiting.signals.map((name) => `signal ${name}`), ...awaiting.updates.map((name) => `update ${name}`)];
    return `waiting for ${awaiting.strategy === 'any' ? 'any of' : 'all of'} ${messages.join(', ')}`;
  }
  if (awaiting.filters.length === 0) return 'waiting for any event';
  const filters = awaiting.filters.map((filter) => {
    const attributes = Object.entries(filter.attributes).map(([name, value]) => `${name}=${value}`);
    if (filter.checksData) attributes.push('data…');
    return `{${attributes.join(', ')}}`;
  });
  const count = awaiting.strategy === 'all' ? `all of ${filters.length} events` : awaiting.strategy === 'any' ? 'an event matching any of' : 'one event';
  return `waiting for ${count} ${filters.join(' ')}`;
}
