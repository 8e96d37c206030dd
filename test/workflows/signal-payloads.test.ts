import { acceptSignal, startRun } from '../../workflows/lifecycle-run';
import { parseSignal } from '../../workflows/signal-payloads';

describe('parseSignal', () => {
  it.each([undefined, null, 'text', 7, []])('pause acts on payload %p', (payload) => {
    const parsed = parseSignal('pause', payload);
    expect(parsed).toEqual({ ok: true, entry: { kind: 'pause', payload: {} } });
  });

  it('resume keeps a string id', () => {
    const parsed = parseSignal('resume', { id: 'resume-1', extra: true });
    expect(parsed).toEqual({ ok: true, entry: { kind: 'resume', payload: { id: 'resume-1' } } });
  });

  it('recheck ignores a non-string id', () => {
    const parsed = parseSignal('recheck', { id: 42, reason: 'api' });
    expect(parsed).toEqual({ ok: true, entry: { kind: 'recheck', payload: { reason: 'api' } } });
  });

  it.each([undefined, null, 'text', []])('contract change rejects %p', (payload) => {
    const parsed = parseSignal('contractChanged', payload);
    expect(parsed.ok).toBe(false);
  });

  it.each([
    { renewalAt: 'soon' },
    { renewalAt: Number.NaN },
    { termNumber: 0 },
    { termNumber: 1.5 },
    { termNumber: '2' },
  ])('contract change rejects field %p', (payload) => {
    const parsed = parseSignal('contractChanged', payload);
    expect(parsed).toEqual({ ok: false, expected: expect.stringContaining('renewalAt') });
  });

  it('contract change copies known fields', () => {
    const parsed = parseSignal('contractChanged', {
      id: 'move-1',
      termNumber: 2,
      renewalAt: 1_000,
      note: 'dropped',
    });
    expect(parsed).toEqual({
      ok: true,
      entry: {
        kind: 'contractChanged',
        payload: { id: 'move-1', termNumber: 2, renewalAt: 1_000 },
      },
    });
  });

  it('contract change reads null as absent', () => {
    const parsed = parseSignal('contractChanged', { id: 'c-1', termNumber: null, renewalAt: null });
    expect(parsed).toEqual({
      ok: true,
      entry: { kind: 'contractChanged', payload: { id: 'c-1' } },
    });
  });

  it('contract change without fields is valid', () => {
    const parsed = parseSignal('contractChanged', {});
    expect(parsed).toEqual({ ok: true, entry: { kind: 'contractChanged', payload: {} } });
  });

  it.each([undefined, null, { milestoneKey: 5 }])('milestone rejects %p', (payload) => {
    const parsed = parseSignal('milestoneCompleted', payload);
    expect(parsed).toEqual({ ok: false, expected: expect.stringContaining('milestoneKey') });
  });

  it('milestone keeps its key', () => {
    const parsed = parseSignal('milestoneCompleted', { milestoneKey: 'kickoff' });
    expect(parsed).toEqual({
      ok: true,
      entry: { kind: 'milestoneCompleted', payload: { milestoneKey: 'kickoff' } },
    });
  });
});

describe('acceptSignal', () => {
  it('never dedupes signals without id', () => {
    const run = startRun({ accountId: 'acme' }, 0, 'run-1');
    expect(acceptSignal(run, { kind: 'pause', payload: {} })).toBe(true);
    expect(acceptSignal(run, { kind: 'pause', payload: {} })).toBe(true);
    expect(run.inbox).toHaveLength(2);
  });

  it('drops a repeated id', () => {
    const run = startRun({ accountId: 'acme' }, 0, 'run-1');
    expect(acceptSignal(run, { kind: 'pause', payload: { id: 'p-1' } })).toBe(true);
    expect(acceptSignal(run, { kind: 'resume', payload: { id: 'p-1' } })).toBe(false);
    expect(run.inbox).toHaveLength(1);
  });
});
