// The parts of Langfuse's public API the lab uses: health (and version), a key check, and a
// count of the observations of one lab slot. A slot's spans carry the environment
// slotEnvironment(slot) (contracts/app-metrics.ts), a filter both majors offer:
//   v3: GET /api/public/observations?environment=…  → meta.totalItems
//   v4: the v1 read endpoints are gone (404); GET /api/public/v2/metrics with a count over
//       the observations view filtered by environment.

export interface LangfuseKeys {
  readonly publicKey: string;
  readonly secretKey: string;
}

export class LangfuseApiError extends Error {}

/** Shows which key was used without printing it whole: "pk-lf-12…cdef". */
export const maskKey = (key: string) => (key.length > 12 ? `${key.slice(0, 8)}…${key.slice(-4)}` : '…');

export class LangfuseApi {
  readonly baseUrl: string;
  private readonly auth: string;
  private readonly publicKey: string;

  constructor(baseUrl: string, keys: LangfuseKeys) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.auth = `Basic ${Buffer.from(`${keys.publicKey}:${keys.secretKey}`).toString('base64')}`;
    this.publicKey = keys.publicKey;
  }

  private async get(path: string, timeoutMs: number, authed = true): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    // A reused keep-alive connection the server just closed fails with a reset; these GETs
    // are idempotent, so two more tries on a fresh connection. A refused connection or a
    // time-out is an answer: no retry.
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetch(url, { headers: authed ? { authorization: this.auth } : {}, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
        const code = cause?.code ?? '';
        if (attempt < 3 && ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'].includes(code)) {
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
        const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : code || cause?.message || (error as Error).message;
        throw new LangfuseApiError(
          `Langfuse at ${this.baseUrl} is unreachable (${why}). Check LANGFUSE_BASE_URL, or start a local one with \`tracelab langfuse up\`.`,
        );
      }
    }
  }

  /** Health and version; fails fast (5 s) when nothing answers. */
  async health(): Promise<{ status: string; version: string }> {
    const response = await this.get('/api/public/health', 5000, false);
    const text = await response.text();
    if (!response.ok)
      throw new LangfuseApiError(`Langfuse at ${this.baseUrl} is not healthy: /api/public/health answered ${response.status} ${text.slice(0, 200)}`);
    try {
      const body = JSON.parse(text) as { status?: string; version?: string };
      return { status: body.status ?? 'unknown', version: body.version ?? 'unknown' };
    } catch {
      throw new LangfuseApiError(`${this.baseUrl}/api/public/health did not answer JSON; is this a Langfuse URL?`);
    }
  }

  /** Throws a clear error when the keys do not authenticate (before any load is sent). */
  async checkKeys(): Promise<void> {
    const response = await this.get('/api/public/projects', 10_000);
    await response.arrayBuffer();
    if (response.status === 401 || response.status === 403) {
      throw new LangfuseApiError(
        `Langfuse at ${this.baseUrl} rejected the API keys (${response.status}; public key ${maskKey(this.publicKey)}). Set LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY to a project's keys.`,
      );
    }
    if (!response.ok) throw new LangfuseApiError(`Langfuse at ${this.baseUrl}: checking the API keys answered ${response.status}`);
  }

  /** Observations whose environment is `environment`; `major` picks the endpoint. */
  async countObservations(environment: string, major: number, since: Date): Promise<number> {
    if (major >= 4) return this.countViaMetrics(environment, since);
    const response = await this.get(`/api/public/observations?environment=${encodeURIComponent(environment)}&limit=1&page=1`, 30_000);
    if (response.status === 404) return this.countViaMetrics(environment, since);
    const body = (await response.json()) as { meta?: { totalItems?: number } };
    if (!response.ok || typeof body.meta?.totalItems !== 'number')
      throw new LangfuseApiError(`counting observations answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
    return body.meta.totalItems;
  }

  private async countViaMetrics(environment: string, since: Date): Promise<number> {
    const query = {
      view: 'observations',
      metrics: [{ measure: 'count', aggregation: 'count' }],
      dimensions: [],
      filters: [{ column: 'environment', operator: '=', value: environment, type: 'string' }],
      fromTimestamp: new Date(since.getTime() - 3_600_000).toISOString(),
      toTimestamp: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const response = await this.get(`/api/public/v2/metrics?query=${encodeURIComponent(JSON.stringify(query))}`, 30_000);
    const body = (await response.json()) as { data?: Array<Record<string, unknown>> };
    if (!response.ok || !Array.isArray(body.data))
      throw new LangfuseApiError(`counting observations (v2 metrics) answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
    const row = body.data[0] ?? {};
    const value = Object.entries(row).find(([k]) => k.toLowerCase().includes('count'))?.[1];
    return Number(value ?? 0);
  }
}
