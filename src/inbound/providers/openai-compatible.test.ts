// The real provider is outside this machine: a small HTTP server started here plays it, speaking the
// chat-completions protocol, so that the request we send and our reading of its answer are tested
// over a real socket.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseMessage } from '../analyse.ts';
import { openAiCompatibleClassifier, openAiCompatibleFromEnv, ProviderError } from './openai-compatible.ts';

interface Seen {
  url: string;
  authorization: string | undefined;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format: {
      type: string;
      json_schema: { name: string; strict: boolean; schema: { required: string[] } };
    };
  };
}

let server: Server;
let baseUrl: string;
let reply: (res: ServerResponse) => void;
const seen: Seen[] = [];

function completion(content: unknown) {
  return (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'x',
        choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(content) } }],
      }),
    );
  };
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (chunk) => {
      data += chunk;
    });
    req.on('end', () => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(data) });
      reply(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const input = { text: 'On vous règle ça vers le 15, promis.', language: 'fr' as const, asOf: '2026-11-18' };

describe('the OpenAI-compatible classifier', () => {
  it('asks for a JSON-schema answer and reads a validated promise with its date', async () => {
    reply = completion({ intent: 'promise_to_pay', confidence: 0.82, promisedDate: '2026-12-15' });
    const classifier = openAiCompatibleClassifier({ baseUrl, model: 'test-model', apiKey: 'sk-test' });
    const result = await classifier.classify(input);
    expect(result).toEqual({ intent: 'promise_to_pay', confidence: 0.82, promisedDate: '2026-12-15' });
    const request = seen.at(-1)!;
    expect(request.url).toBe('/v1/chat/completions');
    expect(request.authorization).toBe('Bearer sk-test');
    expect(request.body.model).toBe('test-model');
    expect(request.body.response_format.type).toBe('json_schema');
    expect(request.body.response_format.json_schema.strict).toBe(true);
    expect(request.body.response_format.json_schema.schema.required).toEqual([
      'intent',
      'confidence',
      'promisedDate',
    ]);
    expect(JSON.parse(request.body.messages[1]!.content)).toEqual({
      asOf: '2026-11-18',
      language: 'fr',
      text: input.text,
    });
  });

  it('drops a promised date that is before asOf or not a calendar day', async () => {
    reply = completion({ intent: 'promise_to_pay', confidence: 0.7, promisedDate: '2026-02-30' });
    const classifier = openAiCompatibleClassifier({ baseUrl, model: 'm' });
    expect(await classifier.classify(input)).toEqual({ intent: 'promise_to_pay', confidence: 0.7 });
    reply = completion({ intent: 'promise_to_pay', confidence: 0.7, promisedDate: '2026-11-01' });
    expect(await classifier.classify(input)).toEqual({ intent: 'promise_to_pay', confidence: 0.7 });
  });

  it('refuses an answer outside the schema instead of guessing', async () => {
    reply = completion({ intent: 'pay_soon', confidence: 2, promisedDate: null });
    const classifier = openAiCompatibleClassifier({ baseUrl, model: 'm' });
    await expect(classifier.classify(input)).rejects.toThrow(ProviderError);
  });

  it('tells a retryable server error from a permanent one', async () => {
    const classifier = openAiCompatibleClassifier({ baseUrl, model: 'm' });
    reply = (res) => {
      res.writeHead(503);
      res.end();
    };
    await expect(classifier.classify(input)).rejects.toMatchObject({ retryable: true });
    reply = (res) => {
      res.writeHead(401);
      res.end();
    };
    await expect(classifier.classify(input)).rejects.toMatchObject({ retryable: false });
  });

  it('is off unless the environment names a base URL and a model', () => {
    expect(openAiCompatibleFromEnv({})).toBeNull();
    expect(openAiCompatibleFromEnv({ ARDENT_LLM_BASE_URL: baseUrl })).toBeNull();
    expect(openAiCompatibleFromEnv({ ARDENT_LLM_BASE_URL: baseUrl, ARDENT_LLM_MODEL: 'm' })?.name).toBe(
      'openai-compatible:m',
    );
  });

  it('is asked by analyseMessage only when the rules are unsure, and its answer then wins', async () => {
    reply = completion({ intent: 'dispute', confidence: 0.9, promisedDate: null });
    const classifier = openAiCompatibleClassifier({ baseUrl, model: 'm' });
    const eml = (text: string) =>
      `From: a@b.example\r\nTo: c@d.example\r\nSubject: Re: Reminder\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`;
    const before = seen.length;
    const sure = await analyseMessage(eml('We will pay the invoice next Friday.'), {
      asOf: '2026-11-18',
      classifier,
    });
    expect(sure.intent).toBe('promise_to_pay');
    expect(seen.length).toBe(before);
    const unsure = await analyseMessage(
      eml(
        'About the shipment from Leeds last month: there is something odd with it that our team wants to raise with yours first.',
      ),
      { asOf: '2026-11-18', classifier },
    );
    expect(seen.length).toBe(before + 1);
    expect(unsure).toMatchObject({ kind: 'reply', intent: 'dispute', confidence: 0.9 });
  });

  it('keeps the rules answer when the provider is down', async () => {
    const classifier = openAiCompatibleClassifier({
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      timeoutMs: 2000,
    });
    const eml =
      'From: a@b.example\r\nSubject: Re: x\r\nContent-Type: text/plain\r\n\r\nAbout the shipment from Leeds last month: there is something odd with it that our team wants to raise.\r\n';
    const analysis = await analyseMessage(eml, { asOf: '2026-11-18', classifier });
    expect(analysis).toMatchObject({ kind: 'reply', intent: 'other' });
  });
});
