import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { createDataEndTracker, watchDataEnd } from '../../src/delivery/data-end';

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

/** Creates a stand-in for the relay connection whose writes complete as `complete` decides. */
function fakeSocket(complete: (chunk: Buffer) => 'now' | 'later' | 'fail'): {
  socket: Socket;
  written: string[];
} {
  const written: string[] = [];
  const writable = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString('latin1'));
      const mode = complete(chunk);
      if (mode === 'now') done();
      else if (mode === 'later') setImmediate(done);
      else done(new Error('connection reset'));
    },
  });
  writable.on('error', () => undefined);
  return { socket: writable as unknown as Socket, written };
}

/** Watches a fake socket and returns the hook calls, each with the bytes written before it. */
function watch(socket: Socket, written: string[]): string[] {
  const calls: string[] = [];
  watchDataEnd(socket, {
    ready: () => true,
    handedOver: () => void calls.push(`handed over after ${JSON.stringify(written.join(''))}`),
    handOverFailed: () => void calls.push('withdrawn'),
  });
  return calls;
}

const message = 'DATA\r\nbody\r\n.\r\n';

describe('watchDataEnd', () => {
  it('reports the hand-over before the last byte is written', () => {
    const { socket, written } = fakeSocket(() => 'now');
    const calls = watch(socket, written);
    socket.write(message);
    expect(calls).toEqual([`handed over after ${JSON.stringify('DATA\r\nbody\r\n.\r')}`]);
  });

  it('writes the last byte on its own', () => {
    const { socket, written } = fakeSocket(() => 'now');
    watch(socket, written);
    socket.write(message);
    expect(written).toEqual(['DATA\r\nbody\r\n.\r', '\n']);
  });

  it('reports nothing for data without a terminator', () => {
    const { socket, written } = fakeSocket(() => 'now');
    const calls = watch(socket, written);
    socket.write('DATA\r\nbody\r\n');
    expect(calls).toEqual([]);
  });

  it('withdraws and reports again when the last byte waits', async () => {
    const { socket, written } = fakeSocket((chunk) => (chunk.length === 1 ? 'later' : 'now'));
    const calls = watch(socket, written);
    await new Promise<void>((done) => socket.write(message, () => done()));
    expect(calls).toEqual([
      `handed over after ${JSON.stringify('DATA\r\nbody\r\n.\r')}`,
      'withdrawn',
      `handed over after ${JSON.stringify(message)}`,
    ]);
  });

  it('withdraws when the last byte fails', async () => {
    const { socket, written } = fakeSocket((chunk) => (chunk.length === 1 ? 'fail' : 'now'));
    const calls = watch(socket, written);
    await new Promise<void>((done) => socket.write(message, () => done()));
    expect(calls.at(-1)).toBe('withdrawn');
  });

  it('reports after the write when earlier bytes still wait', async () => {
    const { socket, written } = fakeSocket(() => 'later');
    const calls = watch(socket, written);
    await new Promise<void>((done) => socket.write(message, () => done()));
    expect(calls).toEqual([`handed over after ${JSON.stringify(message)}`]);
  });
});
