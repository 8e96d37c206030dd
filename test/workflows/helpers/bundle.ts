import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { workflowsPath } from '../../../src/temporal/worker';

const silent = (): undefined => undefined;
const quietLogger = {
  log: silent,
  trace: silent,
  debug: silent,
  info: silent,
  warn: silent,
  error: silent,
};

/** Bundles the workflows once, without the bundler's progress lines. */
export async function bundleWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath, logger: quietLogger });
}
