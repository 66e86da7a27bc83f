// The two S3 calls Langfuse's OTLP route needs from its event bucket — create it (the set-up,
// since Langfuse never creates buckets) and PUT one object per batch — signed with AWS
// Signature V4 over a path-style URL, as the AWS SDK signs them for MinIO (payload hashed).
import { createHash, createHmac } from 'node:crypto';

export interface S3Target {
  /** e.g. http://127.0.0.1:9000 */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The store answered with an error or could not be reached: Langfuse answers 500. */
export class StorageError extends Error {}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/** Headers (authorization included) for one request; `extra` headers are signed too. */
export function signedHeaders(
  method: string,
  url: URL,
  body: Buffer,
  target: S3Target,
  extra: Record<string, string> = {},
  now = new Date(),
): Record<string, string> {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256(body);
  const headers: Record<string, string> = { ...extra, host: url.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate };
  const names = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v.trim()]));
  const canonical = [method, url.pathname, url.search.slice(1), names.map((h) => `${h}:${lower[h]}\n`).join(''), names.join(';'), payloadHash].join('\n');
  const scope = `${day}/${target.region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${target.secretAccessKey}`, day);
  for (const part of [target.region, 's3', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${target.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

async function send(method: string, url: URL, body: Buffer, target: S3Target, extra: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      body: body.length ? body : undefined,
      headers: signedHeaders(method, url, body, target, extra),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new StorageError(`object store unreachable: ${(error as Error).message}`);
  }
  return { status: response.status, text: await response.text() };
}

/** Creates the bucket unless it exists. */
export async function ensureBucket(target: S3Target): Promise<void> {
  const { status, text } = await send('PUT', new URL(`${target.endpoint}/${encodeURIComponent(target.bucket)}`), Buffer.alloc(0), target);
  if (status < 300 || text.includes('BucketAlreadyOwnedByYou')) return;
  throw new StorageError(`creating bucket ${target.bucket} answered ${status}: ${errorCode(text)}`);
}

/** PUT of one JSON object, as Langfuse's uploadJson does. */
export async function putJson(target: S3Target, key: string, json: string): Promise<void> {
  const url = new URL(`${target.endpoint}/${encodeURIComponent(target.bucket)}/${encodePath(key)}`);
  const { status, text } = await send('PUT', url, Buffer.from(json), target, { 'content-type': 'application/json' });
  if (status >= 300) throw new StorageError(`upload of ${key} answered ${status}: ${errorCode(text)}`);
}

/** Only the S3 error code: an error document may echo request details. */
const errorCode = (xml: string) => /<Code>([^<]{1,100})<\/Code>/.exec(xml)?.[1] ?? 'no error code';
