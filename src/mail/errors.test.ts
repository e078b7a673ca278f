import { describe, expect, it } from 'vitest';
import { classifySendError, DEFAULT_RETRY, retryDelaySeconds, SendError } from './errors.ts';

const smtp = (responseCode: number, response: string, command: string, code = 'EENVELOPE') =>
  Object.assign(new Error(response), { code, responseCode, response, command });

describe('retryable or permanent, decided in one place', () => {
  it('retries whatever the server answers 4yz, and connections that fail', () => {
    expect(classifySendError(smtp(451, '451 4.7.1 Greylisted', 'RCPT TO'))).toMatchObject({
      kind: 'temporary',
      retryable: true,
      status: '4.7.1',
    });
    expect(classifySendError(smtp(421, '421 4.3.2 Service shutting down', 'DATA', 'EMESSAGE'))).toMatchObject(
      { retryable: true },
    );
    expect(
      classifySendError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' })),
    ).toMatchObject({ kind: 'network', retryable: true });
    expect(
      classifySendError(Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' })),
    ).toMatchObject({ kind: 'network', retryable: true });
  });

  it('takes a refused recipient or message as final, and a refused sender or login as our own problem', () => {
    expect(classifySendError(smtp(550, '550 5.1.1 <a@b.fr>: User unknown', 'RCPT TO'))).toMatchObject({
      kind: 'recipient',
      retryable: false,
      stage: 'RCPT',
      replyCode: 550,
    });
    expect(
      classifySendError(smtp(554, '554 5.7.1 Message rejected as spam', 'DATA', 'EMESSAGE')),
    ).toMatchObject({ kind: 'message', retryable: false });
    expect(classifySendError(smtp(553, '553 5.7.1 Sender address rejected', 'MAIL FROM'))).toMatchObject({
      kind: 'configuration',
      retryable: true,
    });
    expect(
      classifySendError(smtp(535, '535 5.7.8 Authentication failed', 'AUTH PLAIN', 'EAUTH')),
    ).toMatchObject({ kind: 'configuration', retryable: true });
    const known = new SendError({ kind: 'message', retryable: false, message: 'too large' });
    expect(classifySendError(known)).toBe(known.failure);
  });

  it('waits longer after each attempt, up to an hour, with a jitter of its own per message', () => {
    const delays = [1, 2, 3, 7, 20].map((n) => retryDelaySeconds(n, DEFAULT_RETRY, 'm1'));
    expect(delays[0]).toBeGreaterThanOrEqual(48);
    expect(delays[0]).toBeLessThanOrEqual(72);
    expect(delays[1]! / delays[0]!).toBeGreaterThan(1.3);
    expect(delays[4]).toBeLessThanOrEqual(3600 * 1.2);
    expect(retryDelaySeconds(3, DEFAULT_RETRY, 'm1')).toBe(delays[2]);
    expect(retryDelaySeconds(3, DEFAULT_RETRY, 'm2')).not.toBe(delays[2]);
  });
});
