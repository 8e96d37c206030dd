import type { PlannedAction } from '../../src/actions/types';
import { carryOver, chainIdOf, startRun, viewOf } from '../../workflows/lifecycle-run';

const firstRunId = 'a6a41698-97f6-4974-8bde-717e13df9bd2';

describe('run chain id', () => {
  it('takes the end of the first run id', () => {
    expect(chainIdOf(firstRunId)).toBe('717e13df9bd2');
  });

  it('is set on a new state', () => {
    const run = startRun({ accountId: 'acme' }, 0, firstRunId);
    expect(run.state.chainId).toBe('717e13df9bd2');
  });

  it('survives continue-as-new', () => {
    const run = startRun({ accountId: 'acme' }, 0, firstRunId);
    const next = startRun(carryOver(run), 1_000, 'ffffffff-ffff-4fff-bfff-000000000001');
    expect(next.state.chainId).toBe('717e13df9bd2');
  });

  it('differs for a new chain', () => {
    const first = startRun({ accountId: 'acme' }, 0, firstRunId);
    const second = startRun({ accountId: 'acme' }, 0, 'ffffffff-ffff-4fff-bfff-000000000001');
    expect(second.state.chainId).not.toBe(first.state.chainId);
  });
});

describe('state query', () => {
  const waitingEmail = (key: string, notBefore: number): PlannedAction =>
    ({
      idempotencyKey: key,
      type: 'email',
      ruleId: 'welcome',
      recipient: 'u1',
      notBefore,
      wait: 'quiet hours in UTC until 08:00',
      params: {},
      evidence: {},
    }) as unknown as PlannedAction;

  it('lists waiting actions soonest first', () => {
    const run = startRun(
      { accountId: 'acme', pending: [waitingEmail('b', 2_000), waitingEmail('a', 1_000)] },
      0,
      firstRunId,
    );
    expect(viewOf(run).waiting.map((action) => action.idempotencyKey)).toEqual(['a', 'b']);
  });

  it('keeps the reason of a wait', () => {
    const run = startRun({ accountId: 'acme', pending: [waitingEmail('a', 1_000)] }, 0, firstRunId);
    expect(viewOf(run).waiting[0]?.wait).toBe('quiet hours in UTC until 08:00');
  });
});
