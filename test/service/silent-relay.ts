import { createServer, type Socket } from 'node:net';

/** A TCP server on 127.0.0.1 that accepts connections but never sends an SMTP greeting. */
export interface SilentRelay {
  port: number;
  close(): Promise<void>;
}

/** Starts a {@link SilentRelay} on a random port. */
export async function startSilentRelay(): Promise<SilentRelay> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
