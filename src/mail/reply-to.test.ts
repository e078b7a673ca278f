import { describe, expect, it } from 'vitest';
import { replyAddress, replyToken } from './reply-to.ts';

describe('reply addresses', () => {
  it('puts the customer’s token in the inbound address, and reads it back from a reply', () => {
    const address = replyAddress('replies@ardent.example', '3f9a0c1b2d4e5f60');
    expect(address).toBe('replies+3f9a0c1b2d4e5f60@ardent.example');
    expect(replyToken(`<${address.toUpperCase()}>`, 'replies@ardent.example')).toBe('3f9a0c1b2d4e5f60');
  });

  it('ignores addresses that are not ours or carry no token', () => {
    expect(replyToken('replies+3f9a0c1b2d4e5f60@other.example', 'replies@ardent.example')).toBeNull();
    expect(replyToken('someone+news@ardent.example')).toBeNull();
    expect(replyToken('replies@ardent.example')).toBeNull();
    expect(() => replyAddress('replies', 'x')).toThrow(/ARDENT_REPLY_TO/);
  });
});
