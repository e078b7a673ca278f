// Every error the API returns is an RFC 9457 problem document (`application/problem+json`): a
// `type` naming the kind of problem, a `title`, the `status`, a `detail` for this occurrence, the
// `instance` (the request path) and, for invalid input, the fields at fault. A user's mistake is
// never a 500 and never a stack trace.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { UnreadableFileError } from '../imports/records.ts';
import { InputError } from '../ledger/organisations.ts';

export interface FieldProblem {
  /** Where the field is: body, querystring, params, headers, or a file. */
  in: string;
  /** Dotted path to the field (`levels.1.offsetDays`), empty for the whole document. */
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

const TITLES: Record<number, [string, string]> = {
  400: ['bad-request', 'Bad request'],
  401: ['unauthenticated', 'Sign-in required'],
  403: ['forbidden', 'Not allowed'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  409: ['conflict', 'Conflict'],
  413: ['too-large', 'Request too large'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  422: ['unprocessable', 'Unprocessable content'],
  429: ['too-many-requests', 'Too many requests'],
  500: ['internal', 'Internal server error'],
  503: ['unavailable', 'Service unavailable'],
};

/** Problem types are URNs: they name the problem without pretending to be a page on the web. */
export function problemType(slug: string): string {
  return `urn:ardent:problem:${slug}`;
}

/** An error a route throws on purpose: it becomes the problem document as it is. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly extra: {
      slug?: string;
      title?: string;
      errors?: FieldProblem[];
      headers?: Record<string, string>;
    } = {},
  ) {
    super(detail);
  }
}

export const notFound = (detail: string) => new HttpError(404, detail);
export const badRequest = (detail: string, errors?: FieldProblem[]) =>
  new HttpError(400, detail, errors ? { slug: 'validation', title: 'Invalid request', errors } : {});
export const forbidden = (detail: string) => new HttpError(403, detail);

export function problem(status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  const [slug, title] = TITLES[status] ?? [String(status), 'Error'];
  return { type: problemType(slug), title, status, detail, ...extra };
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, p: Problem): FastifyReply {
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send({ ...p, instance: request.url.split('?')[0] });
}

interface ValidationItem {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: { keys?: unknown };
}

function fieldProblems(where: string, items: ValidationItem[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const item of items) {
    const path = (item.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const keys = item.params?.keys;
    if (item.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
      for (const key of keys)
        out.push({
          in: where,
          field: path ? `${path}.${String(key)}` : String(key),
          message: 'unknown field',
        });
      continue;
    }
    out.push({ in: where, field: path, message: item.message ?? 'invalid' });
  }
  return out;
}

/** Turns anything thrown into a problem document; logs what is ours to fix. */
export function toProblem(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof HttpError) {
    const p = problem(error.status, error.message, error.extra.errors ? { errors: error.extra.errors } : {});
    if (error.extra.slug) p.type = problemType(error.extra.slug);
    if (error.extra.title) p.title = error.extra.title;
    return p;
  }
  if (error instanceof InputError) return problem(400, error.message, { type: problemType('invalid-input') });
  if (error instanceof UnreadableFileError)
    return problem(422, error.message, {
      type: problemType('unreadable-file'),
      errors: [{ in: 'file', field: error.problem.at ?? '', message: error.problem.message }],
    });
  const e = error as FastifyError & { validation?: ValidationItem[]; validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(e) || Array.isArray(e.validation)) {
    const where = e.validationContext ?? 'body';
    const errors = fieldProblems(where, e.validation ?? []);
    return {
      ...problem(
        400,
        `invalid ${where}: ${errors.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)).join('; ')}`,
      ),
      type: problemType('validation'),
      title: 'Invalid request',
      errors,
    };
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return problem(413, e.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, `${e.message}: send application/json (or multipart/form-data for uploads)`);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return problem(415, 'expected a multipart/form-data upload');
  }
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e instanceof SyntaxError)
    return problem(400, `malformed JSON body: ${e.message}`, { type: problemType('malformed-json') });
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) return problem(status, e.message);
  request.log.error({ err: error }, 'request failed');
  return problem(500, 'something went wrong on our side; it is logged');
}

export function installProblems(app: FastifyInstance, onError?: (p: Problem) => void): void {
  app.setErrorHandler((error, request, reply) => {
    const p = toProblem(error, request);
    if (p.status >= 500) onError?.(p);
    const headers = error instanceof HttpError ? error.extra.headers : undefined;
    if (headers) reply.headers(headers);
    return sendProblem(reply, request, p);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, problem(404, `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
