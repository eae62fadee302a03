/**
 * The workflow interceptors bundled into the traced interpreter: the Temporal SDK's (deterministic)
 * OpenTelemetry interceptors for every workflow but the deployment registry. The SDK's outbound
 * interceptor delays scheduling an activity by a microtask in histories recorded without it, which
 * reorders the registry's commands where an Update completes in the activation that schedules its
 * activity: a registry running when tracing is turned on would fail replay
 * (specs/histories/deployment-registry-after.json showed it). A registry's spans tell an operator
 * little; the interpreter's histories replay either way (runner/test/interpreter/replay.test.ts).
 * Runs inside the workflow sandbox: imports only sandbox-safe modules.
 */
import { workflowInfo } from '@temporalio/workflow';
import type { WorkflowInterceptors } from '@temporalio/workflow';
import { interceptors as openTelemetryInterceptors } from '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';
import { DEPLOYMENT_WORKFLOW_TYPE } from '../contract/deployment.ts';

export const interceptors = (): WorkflowInterceptors => (workflowInfo().workflowType === DEPLOYMENT_WORKFLOW_TYPE ? {} : openTelemetryInterceptors());
