// Reading a request body the app did not write: a JSON object of bounded size, or an
// HttpError that says what is wrong (400) or too large (413). Nothing here throws anything else.
import type { IncomingMessage } from 'node:http';
import { discardRest } from '../../../contracts/http-body.ts';

export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
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
    discardRest(req, limit);
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
        discardRest(req, limit);
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
