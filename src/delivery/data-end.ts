import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { whenReady } from './when-ready';

// End of an SMTP message's data. SMTP clients send a data line that starts with
// a dot with a second dot, so inside a message a dot is never alone on a line
// and these bytes only occur as the terminator.
const terminator = Buffer.from('\r\n.\r\n');

// After this command the connection carries TLS records, with no readable SMTP in them.
const startTls = 'STARTTLS\r\n';

/**
 * Creates a tracker of the bytes a client writes on one SMTP connection.
 * `write` returns true when the bytes written so far end with the end-of-data
 * terminator, also when it was split across writes. After STARTTLS it always
 * returns false.
 */
export function createDataEndTracker(): { write(chunk: Buffer | string): boolean } {
  let tail = Buffer.alloc(0);
  let encrypted = false;
  return {
    write(chunk) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (encrypted) return false;
      if (bytes.toString('latin1').toUpperCase() === startTls) {
        encrypted = true;
        return false;
      }
      const joined = Buffer.concat([tail, bytes]);
      tail = joined.subarray(Math.max(0, joined.length - terminator.length));
      return tail.equals(terminator);
    },
  };
}

type WriteCallback = (error?: Error | null) => void;
type RawWrite = (
  chunk: Buffer | string,
  encoding?: BufferEncoding,
  callback?: WriteCallback,
) => boolean;

/**
 * What the watch reports about the end of each message's data. `handedOver`
 * runs when the relay is bound to receive the whole message even if this
 * process dies now. `handOverFailed` withdraws a `handedOver` whose bytes did
 * not reach the operating system after all.
 */
export interface DataEndHooks {
  /** Tells whether a hand-over can be recorded now; while it cannot, the last byte waits. */
  ready(): boolean;
  handedOver(): void;
  handOverFailed(): void;
}

/**
 * Watches the bytes that nodemailer writes on one relay connection and reports
 * the hand-over of each message. On plain TCP the last byte of the terminator
 * goes out in a write of its own, and the hand-over is reported right before
 * it: once the kernel has taken that byte, the relay may read the whole
 * message at any moment, and a report written only afterwards could be lost
 * to a crash while the relay already has the message. A byte that the kernel
 * does not take within the call, or a write that fails, withdraws the report.
 * Over TLS the encrypted bytes may still wait in this process, so there the
 * report follows the write's completion.
 */
export function watchDataEnd(socket: Socket, hooks: DataEndHooks): void {
  const tracker = createDataEndTracker();
  const isTls = socket instanceof TLSSocket;
  const write = socket.write.bind(socket) as RawWrite;
  const wrapped = (
    chunk: Buffer | string,
    encodingOrCallback?: BufferEncoding | WriteCallback,
    maybeCallback?: WriteCallback,
  ): boolean => {
    const callback = typeof encodingOrCallback === 'function' ? encodingOrCallback : maybeCallback;
    const encoding = typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined;
    if (!tracker.write(chunk)) return write(chunk, encoding, callback);
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    if (isTls) return writeThenReport(write, bytes, hooks, callback);
    return reportThenWriteLastByte(socket, write, bytes, hooks, callback);
  };
  socket.write = wrapped as Socket['write'];
}

/** Writes the bytes and reports the hand-over once the write completed without error. */
function writeThenReport(
  write: RawWrite,
  bytes: Buffer,
  hooks: DataEndHooks,
  callback: WriteCallback | undefined,
): boolean {
  return write(bytes, undefined, (error) => {
    if (!error) whenReady(hooks.ready, () => hooks.handedOver());
    callback?.(error);
  });
}

/**
 * Writes all but the last byte, then the last byte once the hand-over can be
 * recorded, reporting it right before that write.
 */
function reportThenWriteLastByte(
  socket: Socket,
  write: RawWrite,
  bytes: Buffer,
  hooks: DataEndHooks,
  callback: WriteCallback | undefined,
): boolean {
  if (bytes.length > 1) write(bytes.subarray(0, -1));
  const last = bytes.subarray(-1);
  whenReady(hooks.ready, () => writeLastByte(socket, write, last, hooks, callback));
  return !socket.writableNeedDrain;
}

/**
 * Reports the hand-over and writes the last byte in the same turn. Nothing
 * left queued in this process after the write means the kernel took the byte
 * within the call. Otherwise the report is withdrawn at once and made again
 * when the byte's write completes, as over TLS.
 */
function writeLastByte(
  socket: Socket,
  write: RawWrite,
  last: Buffer,
  hooks: DataEndHooks,
  callback: WriteCallback | undefined,
): void {
  if (socket.writableLength > 0 || socket.destroyed) {
    writeThenReport(write, last, hooks, callback);
    return;
  }
  hooks.handedOver();
  let inKernel = true;
  write(last, undefined, (error) => {
    if (error && inKernel) whenReady(hooks.ready, () => hooks.handOverFailed());
    if (!error && !inKernel) whenReady(hooks.ready, () => hooks.handedOver());
    callback?.(error);
  });
  if (socket.writableLength > 0 || socket.destroyed || socket.errored) {
    inKernel = false;
    hooks.handOverFailed();
  }
}
