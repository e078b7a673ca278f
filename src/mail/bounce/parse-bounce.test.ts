import { describe, expect, it } from 'vitest';
import { isBounce, parseBounce, toContractBounce } from './parse-bounce.ts';

/** A message from header lines and a body, with CRLF line ends as on the wire. */
function message(headers: Record<string, string>, body: string): string {
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  return `${head}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;
}

function dsn(notification: string, report: string, subject = 'Undelivered Mail Returned to Sender'): string {
  return message(
    {
      From: 'MAILER-DAEMON@mx.example.net (Mail Delivery System)',
      To: 'ar@seller.example',
      Subject: subject,
      'Auto-Submitted': 'auto-replied',
      'MIME-Version': '1.0',
      'Content-Type': 'multipart/report; report-type=delivery-status;\r\n\tboundary="B0UND"',
    },
    [
      'This is a MIME-encapsulated message.',
      '',
      '--B0UND',
      'Content-Description: Notification',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      notification,
      '',
      '--B0UND',
      'Content-Description: Delivery report',
      'Content-Type: message/delivery-status',
      '',
      report,
      '',
      '--B0UND',
      'Content-Type: text/rfc822-headers',
      '',
      'From: ar@seller.example',
      'To: jean@client.example',
      'Subject: Invoice F-2026-0412',
      '',
      '--B0UND--',
      '',
    ].join('\n'),
  );
}

describe('RFC 3464 delivery-status notifications', () => {
  it('reads two recipients of one report, one hard and one soft', () => {
    const raw = dsn(
      [
        '<jean@client.example>: host mx.client.example[192.0.2.1] said: 550 5.1.1',
        '    <jean@client.example>: Recipient address rejected: User unknown in local',
        '    recipient table (in reply to RCPT TO command)',
        '',
        '<compta@client.example>: host mx.client.example[192.0.2.1] said: 552 5.2.2',
        '    <compta@client.example>: Mailbox full (in reply to RCPT TO command)',
      ].join('\n'),
      [
        'Reporting-MTA: dns; mx.example.net',
        '',
        'Final-Recipient: rfc822; jean@client.example',
        'Original-Recipient: rfc822;jean@client.example',
        'Action: failed',
        'Status: 5.1.1',
        'Remote-MTA: dns; mx.client.example',
        'Diagnostic-Code: smtp; 550 5.1.1 <jean@client.example>: Recipient address',
        '    rejected: User unknown in local recipient table',
        '',
        'Final-Recipient: rfc822; compta@client.example',
        'Action: failed',
        'Status: 5.2.2',
        'Diagnostic-Code: smtp; 552 5.2.2 <compta@client.example>: Mailbox full',
      ].join('\n'),
    );
    const report = parseBounce(raw);
    expect(report?.recipients).toEqual([
      expect.objectContaining({
        address: 'jean@client.example',
        status: '5.1.1',
        replyCode: '550',
        hard: true,
        reason: 'userunknown',
      }),
      expect.objectContaining({
        address: 'compta@client.example',
        status: '5.2.2',
        replyCode: '552',
        hard: false,
        reason: 'mailboxfull',
      }),
    ]);
  });

  it('treats Postfix "User unknown in virtual mailbox table" as a hard bounce', () => {
    const raw = dsn(
      [
        '<paul@client.example>: host mail.client.example[192.0.2.7] said: 550 5.1.1',
        '    <paul@client.example>: Recipient address rejected: User unknown in virtual',
        '    mailbox table (in reply to RCPT TO command)',
      ].join('\n'),
      [
        'Final-Recipient: rfc822; paul@client.example',
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 <paul@client.example>: Recipient address',
        '    rejected: User unknown in virtual mailbox table',
      ].join('\n'),
    );
    expect(parseBounce(raw)?.recipients[0]).toMatchObject({ hard: true, reason: 'userunknown' });
  });

  it('treats a full mailbox as soft', () => {
    const raw = dsn(
      '<anna@client.example>: host mx[192.0.2.2] said: 552 5.2.2 Quota exceeded (mailbox for user is full)',
      'Final-Recipient: rfc822; anna@client.example\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 Quota exceeded',
    );
    expect(parseBounce(raw)?.recipients[0]).toMatchObject({
      hard: false,
      reason: 'mailboxfull',
      status: '5.2.2',
    });
  });

  it('treats a 5.7.1 spam rejection as soft', () => {
    const raw = dsn(
      '<anna@client.example>: host mx[192.0.2.2] said: 550 5.7.1 Message rejected as spam by Content Filtering (in reply to end of DATA command)',
      'Final-Recipient: rfc822; anna@client.example\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: smtp; 550 5.7.1 Message rejected as spam by Content Filtering',
    );
    expect(parseBounce(raw)?.recipients[0]).toMatchObject({
      hard: false,
      reason: 'spamdetected',
      status: '5.7.1',
    });
  });

  it('reports the address the message was sent to (Original-Recipient) when aliases were expanded', () => {
    const raw = dsn(
      '<j.dupont@mailhost.example> (expanded from <factures@client.example>): host mailhost said: 550 5.1.1 No such user',
      [
        'Final-Recipient: rfc822; j.dupont@mailhost.example',
        'Original-Recipient: rfc822;factures@client.example',
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 No such user',
      ].join('\n'),
    );
    expect(parseBounce(raw)?.recipients[0]?.address).toBe('factures@client.example');
  });

  it('keeps a delayed delivery (4.x.x) soft, whatever the words', () => {
    const raw = dsn(
      '<jean@client.example>: host mx said: 450 4.1.1 <jean@client.example>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)',
      'Final-Recipient: rfc822; jean@client.example\nAction: delayed\nStatus: 4.1.1\nDiagnostic-Code: smtp; 450 4.1.1 User unknown in local recipient table',
      'Delayed Mail (still being retried)',
    );
    expect(parseBounce(raw)?.recipients[0]).toMatchObject({ hard: false, status: '4.1.1' });
  });

  it('treats a domain with a null MX (RFC 7505, 5.1.10) as hard', () => {
    const raw = dsn(
      '<jean@parked.example>: mail for parked.example is not accepted (null MX)',
      'Final-Recipient: rfc822; jean@parked.example\nAction: failed\nStatus: 5.1.10\nDiagnostic-Code: smtp; 556 5.1.10 Recipient address has null MX',
    );
    expect(parseBounce(raw)?.recipients[0]).toMatchObject({ hard: true, reason: 'notaccept' });
  });

  it('does not blame the recipient for a refusal of the sender at MAIL FROM', () => {
    const raw = dsn(
      '<jean@client.example>: host mx said: 553 5.1.8 <ar@seller.example>: Sender address rejected: Domain not found (in reply to MAIL FROM command)',
      'Final-Recipient: rfc822; jean@client.example\nAction: failed\nStatus: 5.1.8\nDiagnostic-Code: smtp; 553 5.1.8 <ar@seller.example>: Sender address rejected: Domain not found',
    );
    expect(parseBounce(raw)?.recipients[0]).toMatchObject({ hard: false, reason: 'rejected' });
  });

  it('maps a report to the contract shape', () => {
    const raw = dsn(
      '',
      'Final-Recipient: rfc822; a@b.fr\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown',
    );
    const report = parseBounce(raw);
    expect(report).not.toBeNull();
    expect(toContractBounce(report!)).toEqual({
      recipients: [{ address: 'a@b.fr', status: '5.1.1', hard: true, reason: 'userunknown' }],
    });
  });
});

describe('bounces without a delivery report', () => {
  it('reads qmail', () => {
    const raw = message(
      { From: 'MAILER-DAEMON@mx.example.net', To: 'ar@seller.example', Subject: 'failure notice' },
      [
        'Hi. This is the qmail-send program at mx.example.net.',
        "I'm afraid I wasn't able to deliver your message to the following addresses.",
        "This is a permanent error; I've given up. Sorry it didn't work out.",
        '',
        '<jean@client.example>:',
        '192.0.2.8 does not like recipient.',
        'Remote host said: 550 5.1.1 <jean@client.example>... User Unknown',
        'Giving up on 192.0.2.8.',
        '',
        '--- Below this line is a copy of the message.',
        '',
        'To: jean@client.example',
      ].join('\n'),
    );
    expect(parseBounce(raw)?.recipients).toEqual([
      expect.objectContaining({
        address: 'jean@client.example',
        status: '5.1.1',
        hard: true,
        reason: 'userunknown',
      }),
    ]);
  });

  it('reads Exim, with its X-Failed-Recipients header', () => {
    const raw = message(
      {
        From: 'Mail Delivery System <Mailer-Daemon@mx.example.net>',
        To: 'ar@seller.example',
        Subject: 'Mail delivery failed: returning message to sender',
        'X-Failed-Recipients': 'jean@client.example',
        'Auto-Submitted': 'auto-replied',
      },
      [
        'This message was created automatically by mail delivery software.',
        '',
        'A message that you sent could not be delivered to one or more of its',
        'recipients. This is a permanent error. The following address(es) failed:',
        '',
        '  jean@client.example',
        '    host mx.client.example [192.0.2.3]',
        '    SMTP error from remote mail server after RCPT TO:<jean@client.example>:',
        '    550 5.1.1 <jean@client.example>: Recipient address rejected: User unknown',
        '',
        '------ This is a copy of the message, including all the headers. ------',
      ].join('\n'),
    );
    expect(parseBounce(raw)?.recipients[0]).toMatchObject({ address: 'jean@client.example', hard: true });
  });

  it('reads a Gmail notice whose error comes paragraphs below the address', () => {
    const raw = message(
      {
        From: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
        To: 'ar@seller.example',
        Subject: 'Delivery Status Notification (Failure)',
      },
      [
        'Delivery to the following recipient failed permanently:',
        '',
        '     jean@client.example',
        '',
        'Technical details of permanent failure:',
        'Google tried to deliver your message, but it was rejected by the server for the recipient domain client.example by mx.client.example. [192.0.2.4].',
        '',
        'The error that the other server returned was:',
        '550 5.1.1 <jean@client.example>... User unknown',
        '',
        '----- Original message -----',
      ].join('\n'),
    );
    expect(parseBounce(raw)?.recipients[0]).toMatchObject({
      address: 'jean@client.example',
      status: '5.1.1',
      hard: true,
    });
  });

  it('reads Exchange and Office 365 notices', () => {
    const raw = message(
      {
        From: 'Microsoft Outlook <postmaster@seller.onmicrosoft.example>',
        To: 'ar@seller.example',
        Subject: 'Undeliverable: Invoice F-2026-0412',
      },
      [
        'Delivery has failed to these recipients or groups:',
        '',
        'jean@client.example',
        "The email address you entered couldn't be found. Please check the recipient's email address and try to resend the message.",
        '',
        'Diagnostic information for administrators:',
        '',
        'Generating server: AM0PR01MB0001.eurprd01.prod.outlook.com',
        '',
        'jean@client.example',
        "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'",
      ].join('\n'),
    );
    expect(parseBounce(raw)?.recipients).toEqual([
      expect.objectContaining({ address: 'jean@client.example', hard: true, reason: 'userunknown' }),
    ]);
  });

  it('reads a Lotus Domino notice, where the reason follows "because:"', () => {
    const raw = message(
      {
        From: 'Postmaster@client.example',
        To: 'ar@seller.example',
        Subject: 'DELIVERY FAILURE: User Jean Dupont not listed',
      },
      [
        'Your message',
        '',
        '  Subject: Invoice F-2026-0412',
        '',
        'was not delivered to:',
        '',
        '  jean@client.example',
        '',
        'because:',
        '',
        '  User jean (jean@client.example) not listed in Domino Directory',
      ].join('\n'),
    );
    expect(parseBounce(raw)?.recipients[0]).toMatchObject({ address: 'jean@client.example', hard: true });
  });

  it('reads Sendmail without a report, from its list of fatal errors and its transcript', () => {
    const raw = message(
      {
        From: 'Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>',
        To: 'ar@seller.example',
        Subject: 'Returned mail: see transcript for details',
      },
      [
        'The original message was received at Thu, 29 Oct 2026 10:00:00 +0100',
        '',
        '   ----- The following addresses had permanent fatal errors -----',
        '<jean@client.example>',
        '    (reason: 550 5.1.1 <jean@client.example>... User unknown)',
        '',
        '   ----- Transcript of session follows -----',
        '... while talking to mx.client.example.:',
        '>>> RCPT To:<jean@client.example>',
        '<<< 550 5.1.1 <jean@client.example>... User unknown',
        '>>> DATA',
        '<<< 503 5.0.0 Need RCPT (recipient)',
      ].join('\n'),
    );
    expect(parseBounce(raw)?.recipients).toEqual([
      expect.objectContaining({
        address: 'jean@client.example',
        status: '5.1.1',
        hard: true,
        reason: 'userunknown',
      }),
    ]);
  });

  it('reads Yahoo, whose stage comes in brackets', () => {
    const raw = message(
      { From: 'MAILER-DAEMON@yahoo.example', To: 'ar@seller.example', Subject: 'Failure Notice' },
      [
        'Sorry, we were unable to deliver your message to the following address.',
        '',
        '<jean@client.example>:',
        'Remote host said: 552 5.2.2 <jean@client.example>... Mailbox full [RCPT_TO]',
        '',
        '--- Below this line is a copy of the message.',
      ].join('\n'),
    );
    expect(parseBounce(raw)?.recipients[0]).toMatchObject({ reason: 'mailboxfull', hard: false });
  });

  it('reads Lotus Notes, which puts the reason above the address', () => {
    const raw = message(
      { From: 'postmaster@client.example', To: 'ar@seller.example', Subject: 'Undeliverable message' },
      [
        '------- Failure Reasons  --------',
        '',
        'User not listed in public Name & Address Book',
        'jean@client.example',
        '',
        '------- Returned Message --------',
        'To: jean@client.example',
      ].join('\n'),
    );
    expect(parseBounce(raw)?.recipients[0]).toMatchObject({ address: 'jean@client.example', hard: true });
  });

  it('reads a French notice by its subject and the failure in its text', () => {
    const raw = message(
      {
        From: '=?utf-8?q?Syst=C3=A8me_de_messagerie?= <postmaster@client.example>',
        To: 'ar@seller.example',
        Subject: '=?utf-8?q?Non_remis_=3A_Facture_F-2026-0412?=',
      },
      [
        "Votre message n'a pas pu être remis à :",
        '',
        '<jean@client.example>: 550 5.1.1 Utilisateur inconnu',
      ].join('\n'),
    );
    expect(parseBounce(raw)?.recipients[0]).toMatchObject({ address: 'jean@client.example', hard: true });
  });

  it('reads an Amazon SES notification', () => {
    const raw = message(
      { From: 'no-reply@sns.amazonaws.com', To: 'ar@seller.example', Subject: 'AWS Notification Message' },
      JSON.stringify({
        notificationType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bouncedRecipients: [
            {
              emailAddress: 'jean@client.example',
              action: 'failed',
              status: '5.1.1',
              diagnosticCode: 'smtp; 550 5.1.1 user unknown',
            },
          ],
        },
      }),
    );
    expect(parseBounce(raw)?.recipients[0]).toMatchObject({ address: 'jean@client.example', hard: true });
  });
});

describe('messages that are not bounces', () => {
  it('does not take an out-of-office reply for a bounce', () => {
    for (const subject of [
      'Out of Office: Invoice F-2026-0412',
      'Réponse automatique : Facture',
      'Abwesenheitsnotiz',
      'Automatic reply: your message',
    ]) {
      const raw = message(
        {
          From: 'Jean Dupont <jean@client.example>',
          To: 'ar@seller.example',
          Subject: subject,
          'Auto-Submitted': 'auto-replied',
          'Return-Path': '<>',
        },
        "I am out of the office until 30 November and can't read your message. Your message to accounts could not be delivered to me in person; for urgent matters contact compta@client.example.",
      );
      expect(isBounce(raw), subject).toBe(false);
    }
  });

  it('does not take a customer reply quoting "undeliverable" for a bounce', () => {
    const raw = message(
      {
        From: 'Jean Dupont <jean@client.example>',
        To: 'ar@seller.example',
        Subject: 'Re: Invoice F-2026-0412',
        'In-Reply-To': '<reminder-1@seller.example>',
      },
      [
        'Hello,',
        '',
        'Your first reminder came back to you as undeliverable because our old address',
        'compta@client.example does not exist anymore. Please write to me from now on.',
        'We will pay invoice F-2026-0412 on Friday.',
        '',
        '> Undeliverable: Invoice F-2026-0412',
        '> Delivery has failed to these recipients or groups:',
        '> compta@client.example',
      ].join('\n'),
    );
    expect(parseBounce(raw)).toBeNull();
  });

  it('does not take an ordinary message from a no-reply sender for a bounce', () => {
    const raw = message(
      {
        From: 'Bank <no-reply@bank.example>',
        To: 'ar@seller.example',
        Subject: 'Your statement is available',
      },
      'Dear customer, your statement for account FR76 is available. Contact support@bank.example.',
    );
    expect(isBounce(raw)).toBe(false);
  });
});
