import { describe, expect, it } from 'vitest';
import { type ClassifyInput, classify, statusReason } from './classify.ts';

const hard = (input: ClassifyInput) => classify(input).hard;
const reason = (input: ClassifyInput) => classify(input).reason;

describe('hard bounces: the address itself is invalid', () => {
  it('is hard for a mailbox that does not exist (5.1.1)', () => {
    expect(
      classify({ status: '5.1.1', replyCode: '550', diagnostic: '550 5.1.1 <a@b.fr>... User unknown' }),
    ).toEqual({
      reason: 'userunknown',
      hard: true,
    });
  });

  it('is hard for "user unknown" said in reply to RCPT TO, even under a generic 5.0.0', () => {
    expect(classify({ status: '5.0.0', diagnostic: '550 unknown user <a@b.fr>', stage: 'RCPT' }).hard).toBe(
      true,
    );
  });

  it('is hard for a domain that does not exist (5.1.2, "Host or domain name not found")', () => {
    expect(classify({ status: '5.1.2', diagnostic: 'Host or domain name not found' })).toEqual({
      reason: 'hostunknown',
      hard: true,
    });
    expect(
      reason({ status: '', diagnostic: "Sorry, I couldn't find any host named client.example. (#5.1.2)" }),
    ).toBe('hostunknown');
  });

  it('is hard for a mailbox that has moved (5.1.6)', () => {
    expect(classify({ status: '5.1.6', diagnostic: '550 5.1.6 recipient no longer on server' })).toEqual({
      reason: 'hasmoved',
      hard: true,
    });
  });

  it('is hard for a domain that accepts no mail at all (null MX, RFC 7505)', () => {
    expect(classify({ status: '5.1.10', diagnostic: 'Recipient address has null MX' }).hard).toBe(true);
  });

  it('reads directory wording as hard whatever the stage: Exchange, Gmail, Domino', () => {
    for (const diagnostic of [
      'The recipient name is not recognized',
      '550-5.1.1 The email account that you tried to reach does not exist.',
      'User jean (jean@client.example) not listed in Domino Directory',
      '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
    ]) {
      expect(hard({ status: '', diagnostic }), diagnostic).toBe(true);
    }
  });
});

describe('soft bounces: the address may well be valid', () => {
  it('is soft for a full mailbox (5.2.2, 4.2.2, "quota exceeded")', () => {
    expect(classify({ status: '5.2.2', diagnostic: 'Mailbox full' })).toEqual({
      reason: 'mailboxfull',
      hard: false,
    });
    expect(reason({ status: '4.2.2', diagnostic: '' })).toBe('mailboxfull');
    expect(reason({ status: '', diagnostic: '552 Error: disk quota exceeded' })).toBe('mailboxfull');
  });

  it('is soft for any 4.x.x still being retried, greylisting included', () => {
    expect(
      hard({
        status: '4.7.1',
        diagnostic: '450 4.7.1 Greylisted, please try again later',
        action: 'delayed',
      }),
    ).toBe(false);
    expect(
      hard({
        status: '4.1.1',
        diagnostic: '450 4.1.1 User unknown in local recipient table',
        action: 'delayed',
      }),
    ).toBe(false);
  });

  it('is soft for spam, policy, reputation and authentication rejections (5.7.x)', () => {
    expect(classify({ status: '5.7.1', diagnostic: '550 5.7.1 Message rejected as spam' })).toEqual({
      reason: 'spamdetected',
      hard: false,
    });
    expect(
      reason({ status: '5.7.26', diagnostic: 'Unauthenticated email is not accepted due to DMARC policy' }),
    ).toBe('authfailure');
    expect(
      reason({ status: '5.7.1', diagnostic: 'Client host [192.0.2.1] blocked using zen.spamhaus.org' }),
    ).toBe('blocked');
    expect(reason({ status: '5.7.9', diagnostic: 'Message not accepted for policy reasons' })).toBe(
      'policyviolation',
    );
    expect(hard({ status: '5.7.1', diagnostic: '550 5.7.1 Delivery not authorized' })).toBe(false);
  });

  it('is soft for a message too large (5.3.4) and an expired delivery (4.4.7)', () => {
    expect(classify({ status: '5.3.4', diagnostic: 'Message too big for system' })).toEqual({
      reason: 'mesgtoobig',
      hard: false,
    });
    expect(reason({ status: '4.4.7', diagnostic: '' })).toBe('expired');
  });

  it('is soft for a suspended or disabled account', () => {
    expect(
      classify({ status: '5.2.1', diagnostic: 'The email account that you tried to reach is disabled.' }),
    ).toEqual({
      reason: 'suspend',
      hard: false,
    });
  });

  it('is soft when the sender, not the recipient, was refused at MAIL FROM', () => {
    expect(
      classify({ status: '5.1.0', diagnostic: '553 5.1.0 example.jp does not exist', stage: 'MAIL' }),
    ).toEqual({
      reason: 'rejected',
      hard: false,
    });
  });

  it('is soft for "user unknown" said after DATA: a content filter speaks that way', () => {
    expect(
      classify({ status: '', replyCode: '550', diagnostic: '550 Unknown user a@b.jp', stage: 'DATA' }),
    ).toEqual({
      reason: 'filtered',
      hard: false,
    });
  });

  it('is soft when a local delivery program failed (X-UNIX)', () => {
    expect(
      classify({
        status: '5.1.1',
        diagnosticType: 'X-UNIX',
        diagnostic: 'procmail: Couldn\'t create "/var/spool/mail/x"',
      }),
    ).toEqual({ reason: 'mailererror', hard: false });
  });

  it('is soft when DNS said "try again"', () => {
    expect(
      classify({
        status: '5.4.4',
        diagnostic: 'Name service error for domain b.fr: Host not found, try again',
      }),
    ).toEqual({
      reason: 'networkerror',
      hard: false,
    });
  });
});

describe('status codes on their own (RFC 3463)', () => {
  it('names the reason of the usual codes', () => {
    expect(statusReason('5.1.1')).toBe('userunknown');
    expect(statusReason('5.1.2')).toBe('hostunknown');
    expect(statusReason('5.2.2')).toBe('mailboxfull');
    expect(statusReason('5.3.4')).toBe('mesgtoobig');
    expect(statusReason('5.7.13')).toBe('suspend');
    expect(statusReason('4.4.7')).toBe('expired');
    expect(statusReason('5.0.0')).toBe('');
    expect(statusReason('2.0.0')).toBe('delivered');
  });

  it('falls back on the reply code, then on "onhold" when there are only words', () => {
    expect(reason({ status: '', replyCode: '552', diagnostic: '552 sorry' })).toBe('mailboxfull');
    expect(reason({ status: '', diagnostic: 'something odd happened' })).toBe('onhold');
    expect(reason({ status: '' })).toBe('undefined');
  });
});
