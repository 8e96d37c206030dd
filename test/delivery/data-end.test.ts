import { createDataEndTracker } from '../../src/delivery/data-end';

describe('createDataEndTracker', () => {
  it('finds the terminator in one write', () => {
    const tracker = createDataEndTracker();
    expect(tracker.write('Subject: hi\r\n\r\nbody\r\n.\r\n')).toBe(true);
  });

  it('finds a terminator split across writes', () => {
    const tracker = createDataEndTracker();
    expect(tracker.write('body\r\n')).toBe(false);
    expect(tracker.write(Buffer.from('.\r\n'))).toBe(true);
  });

  it('ignores a dot-stuffed line', () => {
    const tracker = createDataEndTracker();
    expect(tracker.write('first line\r\n..\r\n')).toBe(false);
  });

  it('ignores commands', () => {
    const tracker = createDataEndTracker();
    const results = ['EHLO vm\r\n', 'MAIL FROM:<a@b.test>\r\n', 'DATA\r\n'].map((line) =>
      tracker.write(line),
    );
    expect(results).toEqual([false, false, false]);
  });

  it('stops after STARTTLS', () => {
    const tracker = createDataEndTracker();
    tracker.write('STARTTLS\r\n');
    expect(tracker.write('x\r\n.\r\n')).toBe(false);
  });
});
