/** Runs at most `limit` tasks at once; the others wait in call order. */
export interface SendLimiter {
  run<T>(task: () => Promise<T>): Promise<T>;
}

/**
 * Creates a limiter of concurrent sends. nodemailer's pool queues every
 * message it is given and writes one per free connection, so a limit here
 * also bounds how many messages a killed process can leave in flight.
 */
export function createSendLimiter(limit: number): SendLimiter {
  let running = 0;
  const waiting: Array<() => void> = [];

  // A finished task hands its slot straight to the next waiter, so a new
  // caller can never slip in between and push the count over the limit.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  return {
    async run(task) {
      if (running < limit) running += 1;
      else await new Promise<void>((resume) => waiting.push(resume));
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
