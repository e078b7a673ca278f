// The dashboard's one way to call the API: same origin, the session cookie, the CSRF token sent back
// on every change, and errors as the server's RFC 9457 problem documents.

export interface ProblemField {
  in?: string;
  field?: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: ProblemField[] = [],
  ) {
    super(detail || title);
  }
}

/** Told when the session has ended, so that the shell shows the sign-in page. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

function csrfToken(): string | undefined {
  const m = /(?:^|;\s*)ardent_csrf=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

async function problemOf(response: Response): Promise<ApiError> {
  let body: { title?: string; detail?: string; errors?: ProblemField[] } = {};
  try {
    body = await response.json();
  } catch {
    // not a problem document (a proxy's page): the status says enough
  }
  return new ApiError(
    response.status,
    body.title ?? response.statusText,
    body.detail ?? body.title ?? `HTTP ${response.status}`,
    body.errors ?? [],
  );
}

async function send<T>(method: string, path: string, body?: BodyInit, json = true): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    const token = csrfToken();
    if (token) headers['x-csrf-token'] = token;
  }
  if (body !== undefined && json) headers['content-type'] = 'application/json';
  const response = await fetch(`/api${path}`, { method, headers, body, credentials: 'same-origin' });
  if (response.status === 401 && !path.startsWith('/auth/login')) onSignedOut();
  if (!response.ok) throw await problemOf(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string) => send<T>('GET', path),
  post: <T>(path: string, body?: unknown) =>
    send<T>('POST', path, body === undefined ? undefined : JSON.stringify(body)),
  put: <T>(path: string, body?: unknown) =>
    send<T>('PUT', path, body === undefined ? undefined : JSON.stringify(body)),
  patch: <T>(path: string, body?: unknown) =>
    send<T>('PATCH', path, body === undefined ? undefined : JSON.stringify(body)),
  delete: <T>(path: string) => send<T>('DELETE', path),
  /** Files as multipart/form-data (the browser sets the boundary). */
  upload: <T>(path: string, form: FormData) => send<T>('POST', path, form, false),
};

/** `?a=1&b=2` from the defined values, or the empty string. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
