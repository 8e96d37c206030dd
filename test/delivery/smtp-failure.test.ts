import { constants } from 'node:os';
import { describeSmtpFailure } from '../../src/delivery/smtp-failure';

/** Builds an error shaped like the ones nodemailer raises. */
function smtpError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('describeSmtpFailure', () => {
  const beforeData: [string, Error][] = [
    ['DNS failure', smtpError('getaddrinfo ENOTFOUND relay', { code: 'EDNS', command: 'CONN' })],
    ['TLS failure', smtpError('Error initiating TLS', { code: 'ETLS', command: 'CONN' })],
    [
      'greeting timeout',
      smtpError('Greeting never received', { code: 'ETIMEDOUT', command: 'CONN' }),
    ],
    [
      'bad greeting',
      smtpError('Invalid greeting. response=hi', { code: 'EPROTOCOL', command: 'CONN' }),
    ],
    [
      'MAIL FROM rejected',
      smtpError('Mail command failed', { code: 'EENVELOPE', command: 'MAIL FROM' }),
    ],
    ['login failure', smtpError('Invalid login', { code: 'EAUTH', command: 'AUTH PLAIN' })],
    ['DATA rejected', smtpError('Data command failed', { code: 'EENVELOPE', command: 'DATA' })],
  ];

  it.each(beforeData)('counts %s as before DATA', (_name, error) => {
    expect(describeSmtpFailure(error).beforeData).toBe(true);
  });

  const unknown: [string, Error][] = [
    [
      'closed connection',
      smtpError('Connection closed unexpectedly', { code: 'ECONNECTION', command: 'CONN' }),
    ],
    ['socket timeout', smtpError('Timeout', { code: 'ETIMEDOUT', command: 'CONN' })],
    ['message stream error', smtpError('read failed', { code: 'ESTREAM', command: 'API' })],
    ['plain error', new Error('boom')],
  ];

  it.each(unknown)('counts %s as possibly sent', (_name, error) => {
    expect(describeSmtpFailure(error).beforeData).toBe(false);
  });

  it('names the system error code', () => {
    const refused = smtpError('connect ECONNREFUSED', {
      code: 'ESOCKET',
      errno: -constants.errno.ECONNREFUSED,
      syscall: 'connect',
      command: 'CONN',
    });
    expect(describeSmtpFailure(refused).errorCode).toBe('ECONNREFUSED');
  });
});
