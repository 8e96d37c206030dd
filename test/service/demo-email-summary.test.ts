import { formatEmailSummary, type EmailSummaryInput } from '../../src/service/demo-email-summary';

const base: EmailSummaryInput = {
  relay: null,
  outboxDir: '/data/outbox',
  dbPath: '/data/uptake.sqlite',
  emlFiles: [],
  failedAttempts: 0,
};

describe('formatEmailSummary', () => {
  it('names the relay', () => {
    const summary = formatEmailSummary({ ...base, relay: '127.0.0.1:2525' });
    const text = summary.lines.join('\n');

    expect(text).toContain('SMTP relay 127.0.0.1:2525');
    expect(summary.howToLook).toContain('127.0.0.1:2525');
    expect(summary.howToLook).not.toContain('/data/outbox');
    expect(text).not.toContain('/data/outbox');
  });

  it('counts failed attempts', () => {
    const summary = formatEmailSummary({
      ...base,
      relay: '127.0.0.1:1',
      failedAttempts: 11,
      lastErrorCode: 'ECONNREFUSED',
    });
    const failureLine = summary.lines.find((line) => line.includes('failed'));

    expect(failureLine).toContain('11 email send attempts failed');
    expect(failureLine).toContain('last error ECONNREFUSED');
    expect(failureLine).toContain('/data/uptake.sqlite');
    expect(failureLine).toContain('log');
  });

  it('says attempt for one failure', () => {
    const summary = formatEmailSummary({ ...base, relay: '127.0.0.1:1', failedAttempts: 1 });

    expect(summary.lines.join('\n')).toContain('1 email send attempt failed;');
  });

  it('omits the failure line without failures', () => {
    const summary = formatEmailSummary({ ...base, relay: '127.0.0.1:2525' });

    expect(summary.lines.some((line) => line.includes('failed'))).toBe(false);
  });

  it('lists .eml files without a relay', () => {
    const files = Array.from({ length: 7 }, (_, index) => `/data/outbox/m${index}.eml`);
    const summary = formatEmailSummary({ ...base, emlFiles: files });

    expect(summary.lines).toHaveLength(6);
    expect(summary.lines[5]).toContain('2 more in /data/outbox');
    expect(summary.howToLook).toContain('ls /data/outbox');
  });
});
