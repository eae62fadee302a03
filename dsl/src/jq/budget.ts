import { JqBudgetError } from './errors.ts';

export interface JqBudget {
  /** Evaluation steps (node visits, emitted items of native generators, loop iterations). */
  maxSteps: number;
  /** Nesting of function calls and recursive evaluation. */
  maxDepth: number;
  /** Approximate bytes of values built during one evaluation (strings, arrays, objects), cumulative. */
  maxOutputBytes: number;
}

export const DEFAULT_JQ_BUDGET: JqBudget = Object.freeze({
  maxSteps: 2_000_000,
  maxDepth: 1000,
  maxOutputBytes: 64 * 1024 * 1024,
});

/** Mutable counters for one `run`. */
export class BudgetMeter {
  steps = 0;
  depth = 0;
  bytes = 0;
  /** Offset of the node being evaluated, for the error's position. */
  at = 0;
  constructor(
    readonly limits: JqBudget,
    readonly source: string,
  ) {}

  step(n = 1): void {
    this.steps += n;
    if (this.steps > this.limits.maxSteps) throw new JqBudgetError('maxSteps', this.limits.maxSteps, this.source, this.at);
  }

  enter(): void {
    if (++this.depth > this.limits.maxDepth) throw new JqBudgetError('maxDepth', this.limits.maxDepth, this.source, this.at);
  }

  leave(): void {
    this.depth--;
  }

  allocate(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.limits.maxOutputBytes) {
      throw new JqBudgetError('maxOutputBytes', this.limits.maxOutputBytes, this.source, this.at);
    }
  }

  depthExceeded(): JqBudgetError {
    return new JqBudgetError('maxDepth', this.limits.maxDepth, this.source, this.at);
  }
}
