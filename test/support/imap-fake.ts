// A small IMAP4rev1 server (RFC 3501) for tests: one mailbox, plain TCP, any login accepted, and
// only what a client reading unseen mail needs: SELECT, UID SEARCH UNSEEN, UID FETCH BODY[],
// UID STORE +FLAGS, LOGOUT. Every other command is answered OK, and recorded.

import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';

export interface FakeMessage {
  uid: number;
  raw: Buffer;
  flags: Set<string>;
}

export interface FakeImap {
  readonly port: number;
  readonly messages: FakeMessage[];
  /** Every command received, as `VERB args`. */
  readonly commands: string[];
  add(raw: string | Buffer): void;
  close(): Promise<void>;
}

export async function startFakeImap(): Promise<FakeImap> {
  const messages: FakeMessage[] = [];
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  let nextUid = 1;

  const handle = (socket: Socket, line: string) => {
    const [tag = '*', ...rest] = line.split(' ');
    let verb = (rest.shift() ?? '').toUpperCase();
    let uid = false;
    if (verb === 'UID') {
      uid = true;
      verb = (rest.shift() ?? '').toUpperCase();
    }
    const args = rest.join(' ');
    commands.push(`${uid ? 'UID ' : ''}${verb} ${args}`.trim());
    const say = (text: string) => socket.write(`${text}\r\n`);
    const seqOf = (m: FakeMessage) => messages.indexOf(m) + 1;
    const byUid = (set: string) => {
      const wanted = new Set(
        set.split(',').flatMap((part) => {
          const [a, b] = part.split(':');
          const from = Number(a);
          const to = b === undefined ? from : b === '*' ? nextUid : Number(b);
          return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
        }),
      );
      return messages.filter((m) => wanted.has(m.uid));
    };
    switch (verb) {
      case 'CAPABILITY':
        say('* CAPABILITY IMAP4rev1');
        return say(`${tag} OK CAPABILITY completed`);
      case 'LOGIN':
        return say(`${tag} OK [CAPABILITY IMAP4rev1] logged in`);
      case 'LIST':
        say('* LIST (\\HasNoChildren) "/" INBOX');
        return say(`${tag} OK LIST completed`);
      case 'SELECT':
      case 'EXAMINE':
        say('* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)');
        say('* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)] flags');
        say(`* ${messages.length} EXISTS`);
        say('* 0 RECENT');
        say('* OK [UIDVALIDITY 1] UIDs valid');
        say(`* OK [UIDNEXT ${nextUid}] next UID`);
        return say(`${tag} OK [${verb === 'SELECT' ? 'READ-WRITE' : 'READ-ONLY'}] ${verb} completed`);
      case 'SEARCH': {
        const unseen = /UNSEEN/i.test(args);
        const found = messages.filter((m) => !unseen || !m.flags.has('\\Seen'));
        say(`* SEARCH${found.map((m) => ` ${uid ? m.uid : seqOf(m)}`).join('')}`);
        return say(`${tag} OK SEARCH completed`);
      }
      case 'FETCH': {
        const [set = ''] = args.split(' ');
        for (const m of uid ? byUid(set) : []) {
          const peek = /BODY\.PEEK\[\]/i.test(args);
          if (!peek && /BODY\[\]/i.test(args)) m.flags.add('\\Seen');
          socket.write(`* ${seqOf(m)} FETCH (UID ${m.uid} BODY[] {${m.raw.length}}\r\n`);
          socket.write(m.raw);
          say(')');
        }
        return say(`${tag} OK FETCH completed`);
      }
      case 'STORE': {
        const [set = ''] = args.split(' ');
        const flags = /\(([^)]*)\)/.exec(args)?.[1]?.split(' ').filter(Boolean) ?? [];
        for (const m of uid ? byUid(set) : []) {
          for (const f of flags) m.flags.add(f);
          if (!/SILENT/i.test(args))
            say(`* ${seqOf(m)} FETCH (UID ${m.uid} FLAGS (${[...m.flags].join(' ')}))`);
        }
        return say(`${tag} OK STORE completed`);
      }
      case 'LOGOUT':
        say('* BYE logging out');
        say(`${tag} OK LOGOUT completed`);
        return socket.end();
      default:
        return say(`${tag} OK ${verb} completed`);
    }
  };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.write('* OK [CAPABILITY IMAP4rev1] fake IMAP ready\r\n');
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (line) handle(socket, line);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    messages,
    commands,
    add(raw) {
      messages.push({ uid: nextUid++, raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw), flags: new Set() });
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
