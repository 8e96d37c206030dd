import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

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

/**
 * Calls `onDataEnd` each time a write that ends a message's data has been
 * handed to the operating system. From then on the relay receives the whole
 * message even if this process dies, because the kernel still sends what it
 * was given. Wraps `socket.write`, which nodemailer uses for commands and data.
 */
export function watchDataEnd(socket: Socket, onDataEnd: () => void): void {
  const tracker = createDataEndTracker();
  const isTls = socket instanceof TLSSocket;
  const write = socket.write.bind(socket) as (
    chunk: Buffer | string,
    encoding?: BufferEncoding,
    callback?: WriteCallback,
  ) => boolean;
  const wrapped = (
    chunk: Buffer | string,
    encodingOrCallback?: BufferEncoding | WriteCallback,
    maybeCallback?: WriteCallback,
  ): boolean => {
    const callback = typeof encodingOrCallback === 'function' ? encodingOrCallback : maybeCallback;
    const encoding = typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined;
    if (!tracker.write(chunk)) return write(chunk, encoding, callback);
    let reported = false;
    const report = (): void => {
      if (reported) return;
      reported = true;
      onDataEnd();
    };
    const result = write(chunk, encoding, (error) => {
      if (!error) report();
      callback?.(error);
    });
    // On a plain TCP socket, nothing left queued in this process means the kernel took every
    // byte within the call, so reporting now leaves no gap for a crash before the callback.
    // TLS may still hold encrypted bytes in a write request, so there the callback decides.
    if (!isTls && socket.writableLength === 0 && !socket.destroyed) report();
    return result;
  };
  socket.write = wrapped as Socket['write'];
}
