import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import proxyAddr from 'proxy-addr';
import type { Metrics } from '../metrics/index.js';
import { AppError } from '../platform/errors.js';
import type { FormEndpoint, FormParams } from '../platform/form-endpoint.js';
import type { Logger } from '../platform/logger.js';
import { requestContext } from '../platform/request-context.js';
import { oauthErrorBody, toAppError } from './error-renderer.js';
import { assignRequestId } from './request-id.js';

/** Same limit as the form parser of the other protocol endpoints. */
const MAX_PARAMETERS = 100;

export interface FormEndpointsOptions {
  endpoints: FormEndpoint[];
  /** Everything else. */
  fallback: RequestListener;
  /** The headers every response carries (helmet's set, captured once). */
  securityHeaders: ReadonlyArray<readonly [string, string]>;
  bodyLimitBytes: number;
  /** Express's compiled `trust proxy` function, so the client address is the one req.ip gives. */
  trustProxy: Parameters<typeof proxyAddr>[1];
  logger: Logger;
  metrics: Pick<Metrics, 'httpServerDuration'>;
}

/** Reads a form body up to the limit; refuses other media types, charsets and encodings. */
function readForm(req: IncomingMessage, limit: number): Promise<FormParams> {
  const [mediaType = '', ...parameters] = (req.headers['content-type'] ?? '').split(';');
  if (mediaType.trim().toLowerCase() !== 'application/x-www-form-urlencoded') {
    // RFC 6749 §3.2: the token endpoint takes form-encoded POST bodies only.
    return Promise.reject(
      new AppError('invalid_request', 'Send the request as application/x-www-form-urlencoded.', {
        status: 400,
      }),
    );
  }
  const charset = parameters
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if ((charset !== undefined && charset !== 'utf-8') || encoding !== 'identity') {
    return Promise.reject(
      new AppError(
        'unsupported_media_type',
        'The request body encoding or charset is not supported.',
        { status: 415 },
      ),
    );
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  const tooLarge = () =>
    new AppError('payload_too_large', 'The request body is larger than this endpoint accepts.', {
      status: 413,
    });
  if (declared > limit) return Promise.reject(tooLarge());

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const fail = (error: AppError) => {
      if (failed) return;
      failed = true;
      req.removeAllListeners('data');
      req.resume();
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) fail(tooLarge());
      else chunks.push(chunk);
    });
    req.on('error', () =>
      fail(new AppError('malformed_body', 'The request body could not be read.')),
    );
    req.on('end', () => {
      if (failed) return;
      if (!Number.isNaN(declared) && declared !== size) {
        fail(new AppError('malformed_body', 'The request body could not be read.'));
        return;
      }
      const text =
        chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      let count = text.length ? 1 : 0;
      for (
        let i = text.indexOf('&');
        i >= 0 && count <= MAX_PARAMETERS;
        i = text.indexOf('&', i + 1)
      )
        count += 1;
      if (count > MAX_PARAMETERS) {
        fail(
          new AppError(
            'payload_too_large',
            'The request has more fields than this endpoint accepts.',
            { status: 413 },
          ),
        );
        return;
      }
      resolve({ ...parseQuery(text, '&', '=', { maxKeys: MAX_PARAMETERS }) });
    });
  });
}

/**
 * Serves the form endpoints (token, introspection, revocation) straight off node's
 * request, in front of Express: these are the hot paths, and Express's per-request
 * middleware costs more than the work itself. What a client sees is the same as from any
 * other protocol endpoint — helmet's headers, `Cache-Control: no-store`, `X-Request-Id`,
 * RFC 6749 error JSON, the request log line and the route-labelled duration metric —
 * test/http/form-endpoints.test.ts holds the two paths to that. Any other method or path
 * goes to Express.
 */
export function withFormEndpoints(options: FormEndpointsOptions): RequestListener {
  const byPath = new Map(options.endpoints.map((endpoint) => [endpoint.path, endpoint]));
  const { logger, metrics } = options;
  const logRequests = logger.isLevelEnabled('info');
  // Every answer's fixed headers as one flat [name, value, …] list for writeHead, which
  // takes them in one call rather than one setHeader (with its checks) each.
  const fixedHeaders = [...options.securityHeaders.flat(), 'Cache-Control', 'no-store'];

  const serveEndpoint = async (
    endpoint: FormEndpoint,
    req: IncomingMessage,
    res: ServerResponse,
  ) => {
    const startNs = process.hrtime.bigint();
    const requestId = assignRequestId(req.headers['x-request-id']);

    let params: FormParams = {};
    let status: number;
    let body: string | undefined;
    let headers: Record<string, string> | undefined;
    try {
      params = await readForm(req, options.bodyLimitBytes);
      const answer = await endpoint.handle({
        params,
        authorization: req.headers.authorization,
        context: requestContext({
          requestId,
          ip: proxyAddr(req, options.trustProxy),
          userAgent: req.headers['user-agent'],
        }),
      });
      status = answer.status ?? 200;
      headers = answer.headers;
      body = answer.body === undefined ? undefined : JSON.stringify(answer.body);
    } catch (error) {
      const appError = toAppError(error, logger, {
        requestId,
        method: 'POST',
        route: endpoint.path,
      });
      status = appError.status;
      headers = appError.headers;
      body = JSON.stringify(oauthErrorBody(appError));
    }

    const head = [...fixedHeaders, 'X-Request-Id', requestId];
    for (const name in headers) head.push(name, headers[name]!);
    if (body === undefined) head.push('Content-Length', '0');
    else
      head.push(
        'Content-Type',
        'application/json; charset=utf-8',
        'Content-Length',
        String(Buffer.byteLength(body)),
      );
    res.writeHead(status, head);
    res.end(body);
    const seconds = Number(process.hrtime.bigint() - startNs) / 1e9;
    metrics.httpServerDuration.observe(
      {
        http_request_method: 'POST',
        http_route: endpoint.path,
        http_response_status_code: String(status),
      },
      seconds,
    );
    endpoint.observe?.(params, status, seconds);
    if (logRequests)
      logger[status >= 500 ? 'error' : 'info'](
        {
          req: { id: requestId, method: 'POST', path: endpoint.path },
          res: { statusCode: status },
          responseTime: Math.round(seconds * 1000),
        },
        'request completed',
      );
  };

  return (req, res) => {
    if (req.method === 'POST') {
      const url = req.url ?? '';
      const query = url.indexOf('?');
      const endpoint = byPath.get(query < 0 ? url : url.slice(0, query));
      if (endpoint) {
        void serveEndpoint(endpoint, req, res);
        return;
      }
    }
    options.fallback(req, res);
  };
}

/**
 * The headers a piece of header-only middleware (helmet) sets, captured once by running it
 * against a recording response.
 */
export function captureHeaders(
  middleware: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void,
): Array<readonly [string, string]> {
  const headers = new Map<string, readonly [string, string]>();
  const recorder = {
    setHeader(name: string, value: unknown) {
      headers.set(name.toLowerCase(), [name, String(value)]);
      return recorder;
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
    getHeader: () => undefined,
  };
  let called = false;
  middleware({ headers: {} } as IncomingMessage, recorder as unknown as ServerResponse, () => {
    called = true;
  });
  if (!called) throw new Error('header middleware did not finish synchronously');
  return [...headers.values()];
}
