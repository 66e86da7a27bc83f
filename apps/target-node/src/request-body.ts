// Reading a request body the app did not write: a JSON object of bounded size, or an
// HttpError that says what is wrong (400) or too large (413). Nothing here throws anything else.
import type { IncomingMessage } from 'node:http';

export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * Reads and drops the rest of a refused body, so the client can read the answer instead of
 * failing on a closed socket — up to 4 × limit bytes and 30 s, then the connection goes.
 */
function discard(req: IncomingMessage, limit: number): void {
  let dropped = 0;
  const timer = setTimeout(() => req.socket.destroy(), 30_000).unref();
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > 4 * limit) req.socket.destroy();
  });
  req.on('close', () => clearTimeout(timer));
  req.resume();
}

/** The body as a JSON object, at most `limit` bytes; refuses other media types and encodings. */
export function readJsonObject(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  const declared = Number(req.headers['content-length']);
  let refusal: HttpError | undefined;
  if (!type.includes('application/json')) refusal = new HttpError(400, `unsupported content type "${type}": send application/json`);
  else if (encoding !== 'identity') refusal = new HttpError(400, `unsupported content encoding "${encoding}": send the body uncompressed`);
  else if (Number.isFinite(declared) && declared > limit) refusal = new HttpError(413, `body of ${declared} bytes is larger than ${limit} bytes`);
  if (refusal) {
    discard(req, limit);
    return Promise.reject(refusal);
  }
  return new Promise((resolve, reject) => {
    let size = 0;
    let over = false;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over) return;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        discard(req, limit);
        reject(new HttpError(413, `body larger than ${limit} bytes`));
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (over) return;
      let value: unknown;
      try {
        value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        return reject(new HttpError(400, `body is not JSON: ${(error as Error).message}`));
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return reject(new HttpError(400, 'body must be a JSON object'));
      resolve(value as Record<string, unknown>);
    });
    req.on('error', (error) => reject(new HttpError(400, `cannot read the body: ${error.message}`)));
  });
}
