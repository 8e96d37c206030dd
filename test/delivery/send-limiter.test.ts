import { createSendLimiter } from '../../src/delivery/send-limiter';

/** Runs `count` tasks through a limiter and returns the highest number running at once. */
async function peakConcurrency(limit: number, count: number): Promise<number> {
  const limiter = createSendLimiter(limit);
  let running = 0;
  let peak = 0;
  const task = async (): Promise<void> => {
    running += 1;
    peak = Math.max(peak, running);
    await new Promise((done) => setTimeout(done, 5));
    running -= 1;
  };
  await Promise.all(Array.from({ length: count }, () => limiter.run(task)));
  return peak;
}

describe('createSendLimiter', () => {
  it('runs one task at a time', async () => {
    expect(await peakConcurrency(1, 6)).toBe(1);
  });

  it('runs up to the limit', async () => {
    expect(await peakConcurrency(3, 9)).toBe(3);
  });

  it('frees the slot after a failure', async () => {
    const limiter = createSendLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('refused')))).rejects.toThrow(
      'refused',
    );
    expect(await limiter.run(() => Promise.resolve('next'))).toBe('next');
  });
});
