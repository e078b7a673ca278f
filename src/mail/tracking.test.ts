import { describe, expect, it } from 'vitest';
import { addTracking, clickUrl, openPixelUrl, trackingToken, verifyTrackingToken } from './tracking.ts';

const s = {
  baseUrl: 'https://ardent.example.com/',
  secret: 'k3y',
  messageId: '0b7c4e1a-1d2e-4f30-8a9b-0c1d2e3f4a5b',
};

describe('open and click tracking', () => {
  it('signs the message id, and refuses a token for another message or another link', () => {
    const token = trackingToken(s.secret, s.messageId, 'c', 'https://pay.example/x');
    expect(verifyTrackingToken(s.secret, token, 'c', 'https://pay.example/x')).toBe(s.messageId);
    expect(verifyTrackingToken(s.secret, token, 'c', 'https://evil.example/')).toBeNull();
    expect(verifyTrackingToken('other', token, 'c', 'https://pay.example/x')).toBeNull();
    expect(verifyTrackingToken(s.secret, token.replace(/^0/, '1'), 'c', 'https://pay.example/x')).toBeNull();
  });

  it('routes links through the click URL and adds the pixel before </body>', () => {
    const html =
      '<html><body><p>Payez ici : https://pay.example/x?a=1&amp;b=2</p><p><a href="mailto:a@b">a</a></p></body></html>';
    const tracked = addTracking(html, s);
    expect(tracked).toContain(
      `href="${clickUrl(s, 'https://pay.example/x?a=1&b=2').replace(/&/g, '&amp;')}"`,
    );
    expect(tracked).toContain('href="mailto:a@b"');
    expect(tracked).toMatch(
      /<img src="https:\/\/ardent\.example\.com\/t\/o\/0b7c4e1a-[^"]+\.gif"[^>]*>\n<\/body>/,
    );
    expect(openPixelUrl(s)).toMatch(/^https:\/\/ardent\.example\.com\/t\/o\//);
  });
});
