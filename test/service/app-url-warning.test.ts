import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig, type ServiceConfig } from '../../src/service/config';
import { warnWhenAppUrlUnset } from '../../src/service/startup-checks';

function configFrom(env: Record<string, string>): ServiceConfig {
  const load = loadConfig({ UPTAKE_DATA_DIR: '/tmp/uptake-app-url', ...env });
  if (!load.ok) throw new Error(load.errors.join('\n'));
  return load.config;
}

/** Creates a pino logger that keeps each line as parsed JSON. */
function capturingLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

describe('UPTAKE_APP_URL warning', () => {
  it('warns once when unset', () => {
    const { logger, lines } = capturingLogger();
    const warned = warnWhenAppUrlUnset(configFrom({}), 'http://127.0.0.1:3000', logger);
    expect(warned).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe(40);
    expect(lines[0]?.setting).toBe('UPTAKE_APP_URL');
    expect(lines[0]?.msg).toContain('links in emails and notices go to the Uptake API');
    expect(lines[0]?.msg).toContain('http://127.0.0.1:3000');
  });

  it('stays quiet when set', () => {
    const { logger, lines } = capturingLogger();
    const config = configFrom({ UPTAKE_APP_URL: 'https://app.example.com' });
    const warned = warnWhenAppUrlUnset(config, 'http://127.0.0.1:3000', logger);
    expect(warned).toBe(false);
    expect(lines).toHaveLength(0);
  });
});
