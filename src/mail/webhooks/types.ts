// What a bounce webhook handler takes and gives back: the HTTP server (another module) passes the
// request's headers and raw body and sends the answer as it is.

export interface WebhookRequest {
  /** Header names in lower case, as Node gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body: signatures are computed over the bytes as sent. */
  body: string | Buffer;
}

export interface WebhookResponse {
  status: number;
  body: string;
}

export function header(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export const answer = (status: number, body: string): WebhookResponse => ({ status, body });
