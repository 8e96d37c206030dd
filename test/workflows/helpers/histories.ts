import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

/** The history of one run of a workflow, in the shape Worker.runReplayHistories takes. */
export interface RecordedRun {
  workflowId: string;
  runId: string;
  history: temporal.api.history.v1.IHistory;
}

/** Fetches the history of every run of a workflow, following the continue-as-new chain from the first. */
export async function collectRuns(
  env: TestWorkflowEnvironment,
  workflowId: string,
): Promise<RecordedRun[]> {
  const runs: RecordedRun[] = [];
  let runId: string | undefined = (await env.client.workflow.getHandle(workflowId).describe())
    .runId;
  const latest = runId;
  const first = await firstRunId(env, workflowId, latest);
  runId = first;
  while (runId) {
    const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push({ workflowId, runId, history });
    runId = nextRunId(history);
  }
  return runs;
}

async function firstRunId(
  env: TestWorkflowEnvironment,
  workflowId: string,
  runId: string,
): Promise<string> {
  const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  return started?.firstExecutionRunId ?? runId;
}

function nextRunId(history: temporal.api.history.v1.IHistory): string | undefined {
  const events = history.events ?? [];
  const last = events[events.length - 1];
  return last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
}
