/**
 * The listening execution's side of matching: an event the router delivered is checked against
 * what the router cannot know (data filters, correlation), and consumption strategies (one, any,
 * all) decide when the listening is done. Pure and deterministic.
 */
import type { EventConsumption, EventFilterSpec } from '@baton/dsl/runtime';
import type { CloudEventJson, RouteFilter, TaskAwaiting } from '../../contract/index.ts';

/** A filter with its task-start values computed: attribute values and correlation expectations. */
export interface PreparedFilter {
  readonly spec: EventFilterSpec;
  readonly attributes: Readonly<Record<string, string>>;
  readonly expect: Readonly<Record<string, unknown>>;
}

export type PreparedConsumption =
  | { readonly kind: 'one'; readonly filter: PreparedFilter }
  | { readonly kind: 'all'; readonly filters: readonly PreparedFilter[] }
  | { readonly kind: 'any'; readonly filters: readonly PreparedFilter[]; readonly until?: { readonly kind: 'condition' } | { readonly kind: 'events'; readonly consume: PreparedConsumption } };

export interface FilterChecks {
  /** `with.data` as an expression, tested with the data as `.`. */
  testData(filter: PreparedFilter, data: unknown): boolean;
  /** A correlation's `from`, evaluated on the event. */
  extract(filter: PreparedFilter, name: string, event: CloudEventJson): unknown;
}

export function prepareConsumption(
  consumption: EventConsumption,
  attribute: (template: EventFilterSpec['attributes'][number][1]) => unknown,
  expect: (template: NonNullable<EventFilterSpec['correlate'][number]['expect']>) => unknown,
): PreparedConsumption {
  const prepare = (spec: EventFilterSpec): PreparedFilter => ({
    spec,
    attributes: Object.fromEntries(spec.attributes.map(([name, value]) => [name, scalarText(attribute(value))])),
    expect: Object.fromEntries(spec.correlate.flatMap((correlation) => (correlation.expect ? [[correlation.name, expect(correlation.expect)]] : []))),
  });
  switch (consumption.kind) {
    case 'one':
      return { kind: 'one', filter: prepare(consumption.filter) };
    case 'all':
      return { kind: 'all', filters: consumption.filters.map(prepare) };
    case 'any': {
      const until = consumption.until;
      return {
        kind: 'any',
        filters: consumption.filters.map(prepare),
        ...(until ? { until: until.kind === 'condition' ? { kind: 'condition' as const } : { kind: 'events' as const, consume: prepareConsumption(until.consume, attribute, expect) } } : {}),
      };
    }
  }
}

/** What the router is told: every filter of the strategy and of its `until`. `any: []` matches any event. */
export function routeFilters(consumption: PreparedConsumption): RouteFilter[] {
  switch (consumption.kind) {
    case 'one':
      return [{ attributes: consumption.filter.attributes }];
    case 'all':
      return consumption.filters.map((filter) => ({ attributes: filter.attributes }));
    case 'any': {
      const own = consumption.filters.length === 0 ? [{ attributes: {} }] : consumption.filters.map((filter) => ({ attributes: filter.attributes }));
      return consumption.until?.kind === 'events' ? [...own, ...routeFilters(consumption.until.consume)] : own;
    }
  }
}

/** What a listening task shows it waits for (`baton run`/`watch`): its strategy's filters, and its `until` events'. */
export function awaitedEvents(consumption: PreparedConsumption): TaskAwaiting {
  const filters = (prepared: PreparedConsumption): PreparedFilter[] => {
    switch (prepared.kind) {
      case 'one':
        return [prepared.filter];
      case 'all':
        return [...prepared.filters];
      case 'any':
        return prepared.until?.kind === 'events' ? [...prepared.filters, ...filters(prepared.until.consume)] : [...prepared.filters];
    }
  };
  return {
    kind: 'events',
    strategy: consumption.kind,
    filters: filters(consumption).map((filter) => ({ attributes: filter.attributes, checksData: filter.spec.data !== undefined || filter.spec.correlate.length > 0 })),
  };
}

/** Correlation values fixed so far in this listen, by correlation name. */
export type Correlations = Map<string, unknown>;

export function matches(filter: PreparedFilter, event: CloudEventJson, correlations: Correlations, checks: FilterChecks): boolean {
  for (const [name, expected] of Object.entries(filter.attributes)) {
    const actual = event[name];
    if (actual === undefined || actual === null || String(actual) !== expected) return false;
  }
  const data = filter.spec.data;
  if (data?.kind === 'contains' && !contains(event.data, data.value)) return false;
  if (data?.kind === 'test' && !checks.testData(filter, event.data ?? null)) return false;
  for (const correlation of filter.spec.correlate) {
    const value = checks.extract(filter, correlation.name, event);
    const expected = Object.hasOwn(filter.expect, correlation.name) ? filter.expect[correlation.name] : correlations.get(correlation.name);
    if (expected !== undefined && !sameJson(value, expected)) return false;
  }
  return true;
}

/** Fixes the correlation values of a consumed event that had no expectation yet. */
export function recordCorrelations(filter: PreparedFilter, event: CloudEventJson, correlations: Correlations, checks: FilterChecks): void {
  for (const correlation of filter.spec.correlate) {
    if (Object.hasOwn(filter.expect, correlation.name) || correlations.has(correlation.name)) continue;
    correlations.set(correlation.name, checks.extract(filter, correlation.name, event));
  }
}

/**
 * Progress through one strategy. `offer` consumes the event when it fits and says so; `done`
 * tells when the strategy is satisfied (for `any` with an `until` condition, the caller decides).
 */
export class ConsumptionProgress {
  private readonly pending: PreparedFilter[];
  private consumedCount = 0;

  constructor(
    private readonly consumption: Exclude<PreparedConsumption, { kind: 'any'; until: object }> | PreparedConsumption,
    private readonly correlations: Correlations,
    private readonly checks: FilterChecks,
  ) {
    this.pending = consumption.kind === 'all' ? [...consumption.filters] : [];
  }

  get done(): boolean {
    switch (this.consumption.kind) {
      case 'one':
        return this.consumedCount > 0;
      case 'all':
        return this.pending.length === 0;
      case 'any':
        return this.consumption.until === undefined && this.consumedCount > 0;
    }
  }

  offer(event: CloudEventJson): boolean {
    const candidates = this.consumption.kind === 'one' ? [this.consumption.filter] : this.consumption.kind === 'all' ? this.pending : this.consumption.filters;
    if (this.consumption.kind === 'any' && candidates.length === 0) {
      this.consumedCount++;
      return true;
    }
    const filter = candidates.find((candidate) => matches(candidate, event, this.correlations, this.checks));
    if (!filter) return false;
    recordCorrelations(filter, event, this.correlations, this.checks);
    if (this.consumption.kind === 'all') this.pending.splice(this.pending.indexOf(filter), 1);
    this.consumedCount++;
    return true;
  }
}

/** The event as the task reads it (`listen.read`). */
export function readEvent(event: CloudEventJson, mode: 'data' | 'envelope' | 'raw'): unknown {
  switch (mode) {
    case 'envelope':
      return event;
    case 'data':
      return event.data !== undefined ? event.data : (event.data_base64 ?? null);
    case 'raw':
      if (event.data_base64 !== undefined) return event.data_base64;
      if (event.data === undefined) return null;
      return typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  }
}

/** Objects match by their keys (recursively); everything else by equal JSON. */
function contains(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'object' && expected !== null && !Array.isArray(expected)) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([key, value]) => contains((actual as Record<string, unknown>)[key], value));
  }
  return sameJson(actual, expected);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
