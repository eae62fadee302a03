/** A runner with its HTTP server, and helpers to start documents, publish events and read the router. */
import { Client, Connection } from '@temporalio/client';
import { eventRouterQuery, eventRouterWorkflowId } from '../../src/contract/index.ts';
import type { EventRouterSnapshot } from '../../src/contract/index.ts';
import type { RunnerConfig } from '../../src/config.ts';
import { testTemporal } from '../../../test/temporal-env.ts';
import { eventually, startStack, uniqueName } from '../service/support/stack.ts';
import type { Stack } from '../service/support/stack.ts';

export interface EventStack {
  readonly stack: Stack;
  readonly client: Client;
  /** Starts a document; resolves with its id once started. */
  start(yaml: string, input?: Record<string, unknown>): Promise<string>;
  result(id: string): Promise<unknown>;
  publish(events: readonly Record<string, unknown>[]): Promise<Response>;
  router(): Promise<EventRouterSnapshot>;
  /** Waits until the router holds `count` subscriptions. */
  subscribed(count: number): Promise<void>;
  stop(): Promise<void>;
}

export const TOKEN = 'events-token';

export async function startEventStack(overrides: Partial<RunnerConfig> = {}): Promise<EventStack> {
  const stack = await startStack({ httpAddress: '127.0.0.1:0', authToken: TOKEN, ...overrides });
  const client = new Client({ connection: await Connection.connect({ address: testTemporal().address }), namespace: testTemporal().namespace });
  const router = () => client.workflow.getHandle(eventRouterWorkflowId(stack.config.taskQueue)).query(eventRouterQuery);
  return {
    stack,
    client,
    async start(yaml, input = {}) {
      const id = uniqueName('listen');
      await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: yaml, input });
      return id;
    },
    result: (id) => client.workflow.getHandle(id).result(),
    publish: (events) =>
      fetch(`${stack.runner.httpUrl}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/cloudevents-batch+json' },
        body: JSON.stringify(events.map((event) => ({ specversion: '1.0', id: crypto.randomUUID(), source: '/tests/events', ...event }))),
      }),
    router,
    async subscribed(count) {
      const state = await eventually(() => router().catch(() => undefined), (s) => s !== undefined && s.subscriptions === count && s.queued === 0, 30_000);
      if (state?.subscriptions !== count) throw new Error(`the router holds ${state?.subscriptions} subscriptions, expected ${count}`);
    },
    async stop() {
      await stack.stop();
      await client.connection.close();
    },
  };
}

export function document(name: string, tasks: string): string {
  return `document: {dsl: 1.0.3, namespace: test, name: ${name}, version: 1.0.0}\ndo:\n${tasks}`;
}
