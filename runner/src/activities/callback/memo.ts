/**
 * Deliveries this process already made, so a local activity run again (its workflow task was
 * rejected, e.g. by an update arriving meanwhile) answers from memory instead of asking Temporal
 * a second time. An optimisation only, never a source of truth: bounded (the oldest entries go
 * first), and a run again on another worker is not covered.
 */
import type { DeliveryReport } from '../../contract/index.ts';

const DEFAULT_CAPACITY = 10_000;

export class DeliveryMemo {
  private readonly entries = new Map<string, DeliveryReport>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  get(key: string): DeliveryReport | undefined {
    return this.entries.get(key);
  }

  set(key: string, report: DeliveryReport): void {
    this.entries.delete(key);
    this.entries.set(key, report);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
