import got, { type Got, type Response } from 'got';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { TokenProvider } from '../auth/token-provider';
import {
  D365Error,
  errorFromNetworkFailure,
  errorFromResponse,
  parseRetryAfter,
  requestIdOf,
} from '../errors';
import { silentLogger, type ConnectorLogger } from '../logger';
import { entitySetOf } from './entity-set';
import type { RequestObserver } from './request-observer';
import { traceD365Request } from '../tracing/d365-span';

export type ODataService = 'dataverse' | 'finance';

export interface ODataTransportOptions {
  service: ODataService;
  /** The service root every relative path is resolved against, e.g. `https://org.crm.dynamics.com/api/data/v9.2/`. */
  serviceRoot: string;
  tokenProvider: TokenProvider;
  /** Per request, from connecting to the last byte of the response. */
  timeoutMs?: number;
  logger?: ConnectorLogger;
  /** Told of every request sent (each try counts), e.g. for the worker's metrics. */
  observer?: RequestObserver;
}

export interface ODataRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** A path relative to the service root (query string included), or an absolute URL on the same service. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface ODataResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const DEFAULT_TIMEOUT_MS = 100_000;

/**
 * HTTP for one OData service on got: OData headers, a bearer token from a `beforeRequest` hook,
 * keep-alive, a timeout, and no retries of its own. Temporal retries activities and the errors
 * say how long to wait. A 401 gets one fresh token and one more try.
 */
export class ODataTransport {
  readonly service: ODataService;
  readonly serviceRoot: URL;
  readonly #http: Got;
  readonly #logger: ConnectorLogger;
  readonly #observer: RequestObserver | undefined;

  constructor(options: ODataTransportOptions) {
    this.service = options.service;
    this.serviceRoot = new URL(
      options.serviceRoot.endsWith('/') ? options.serviceRoot : `${options.serviceRoot}/`,
    );
    this.#logger = options.logger ?? silentLogger;
    this.#observer = options.observer;
    const { tokenProvider } = options;
    this.#http = got.extend({
      headers: { accept: 'application/json', 'odata-maxversion': '4.0', 'odata-version': '4.0' },
      timeout: { request: options.timeoutMs ?? DEFAULT_TIMEOUT_MS },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: 'text',
      agent: { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) },
      hooks: {
        beforeRequest: [
          async (request) => {
            const forceRefresh = request.context.forceTokenRefresh === true;
            request.headers.authorization = `Bearer ${await tokenProvider.getToken({ forceRefresh })}`;
          },
        ],
      },
    });
  }

  /** Sends the request; any status from 400 up becomes a `D365Error`. */
  async send(request: ODataRequest): Promise<ODataResponse> {
    const response = await this.exchange(request);
    if (response.status >= 400) {
      const error = errorFromResponse({ service: this.service, ...response });
      this.#logger.warn('D365 request failed', { service: this.service, error: error.message });
      throw error;
    }
    return response;
  }

  /** Sends the request and returns whatever status comes back, for callers that read error bodies themselves ($batch). */
  async exchange(request: ODataRequest): Promise<ODataResponse & { operation: string }> {
    const url = this.#resolve(request.path);
    const operation = `${request.method} ${readablePath(url.pathname.slice(this.serviceRoot.pathname.length))}`;
    let response = await this.#attemptGetTwiceOnReset(request, url, operation, false);
    if (response.status === 401) response = await this.#attemptGetTwiceOnReset(request, url, operation, true);
    return { ...response, operation };
  }

  /**
   * A kept-alive connection the service closes just as it is reused resets with no answer; a GET, which
   * changes nothing, goes once more on a fresh connection. A write is left to the caller's retry.
   */
  async #attemptGetTwiceOnReset(
    request: ODataRequest,
    url: URL,
    operation: string,
    forceTokenRefresh: boolean,
  ) {
    try {
      return await this.#attempt(request, url, operation, forceTokenRefresh);
    } catch (error) {
      const reset = error instanceof D365Error && error.code === 'ECONNRESET';
      if (!reset || request.method !== 'GET') throw error;
      return this.#attempt(request, url, operation, forceTokenRefresh);
    }
  }

  async #attempt(request: ODataRequest, url: URL, operation: string, forceTokenRefresh: boolean) {
    const started = Date.now();
    let response: Response<string>;
    try {
      response = await traceD365Request(
        { service: this.service, method: request.method, url, serviceRoot: this.serviceRoot },
        (traceHeaders) =>
          this.#http(url, {
            method: request.method,
            headers: { ...request.headers, ...traceHeaders },
            body: request.body,
            context: { forceTokenRefresh },
          }),
      );
    } catch (error) {
      // A token failure surfaces through got's hook wrapper; keep the connector's own error.
      const cause = error instanceof Error ? error.cause : undefined;
      const failure =
        cause instanceof D365Error ? cause : errorFromNetworkFailure(this.service, operation, error);
      // A token failure sent nothing to the service; the token provider observes its own request.
      if (!(cause instanceof D365Error)) this.#observe(request, url, started);
      this.#logger.warn('D365 request failed', { service: this.service, error: failure.message });
      throw failure;
    }
    this.#observe(request, url, started, response);
    this.#logger.debug('D365 request', {
      service: this.service,
      operation,
      status: response.statusCode,
      durationMs: Date.now() - started,
      requestId: requestIdOf(response.headers),
    });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  }

  #observe(request: ODataRequest, url: URL, started: number, response?: Response<string>): void {
    if (!this.#observer) return;
    this.#observer({
      service: this.service,
      entitySet: entitySetOf(url, this.serviceRoot),
      method: request.method,
      status: response?.statusCode,
      durationMs: Date.now() - started,
      retryAfterMs: parseRetryAfter(response?.headers['retry-after']),
    });
  }

  /** Relative paths resolve against the service root; absolute URLs (next links) must stay on it, so the token goes nowhere else. */
  #resolve(path: string): URL {
    const url = new URL(path, this.serviceRoot);
    if (url.origin !== this.serviceRoot.origin || !url.pathname.startsWith(this.serviceRoot.pathname)) {
      throw new D365Error({
        service: this.service,
        kind: 'invalid-response',
        operation: 'follow link',
        serviceMessage: `refusing to send a token to ${url.origin}${url.pathname}, outside ${this.serviceRoot.href}`,
      });
    }
    return url;
  }
}

/** A path as a person reads it in a message: percent-decoded where that is possible. */
function readablePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
