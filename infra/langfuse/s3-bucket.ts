// Creating the event/media bucket in the local MinIO: Langfuse never creates buckets, and a
// fresh MinIO data folder does not turn plain directories into buckets. One S3 PUT Bucket
// request, signed with AWS Signature V4 (no SDK needed for one call).
import { createHash, createHmac } from 'node:crypto';

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

/** Signed headers for a request without a body, path-style URL. */
export function signV4(method: string, url: URL, credentials: S3Credentials, now = new Date()): Record<string, string> {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256('');
  const headers: Record<string, string> = { host: url.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate };
  const signedHeaders = Object.keys(headers).sort().join(';');
  const canonical = [
    method,
    url.pathname,
    url.search.slice(1),
    ...Object.keys(headers)
      .sort()
      .map((h) => `${h}:${headers[h]}\n`),
    signedHeaders,
    payloadHash,
  ];
  // Header lines each end with \n and are followed by an empty line: join the parts as AWS specifies.
  const request = `${canonical.slice(0, 3).join('\n')}\n${canonical.slice(3, -2).join('')}\n${signedHeaders}\n${payloadHash}`;
  const scope = `${day}/${credentials.region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(request)].join('\n');
  let key = hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [credentials.region, 's3', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** Creates `bucket` unless it exists. */
export async function ensureBucket(endpoint: string, bucket: string, credentials: S3Credentials): Promise<void> {
  const url = new URL(`${endpoint}/${bucket}`);
  const response = await fetch(url, { method: 'PUT', headers: signV4('PUT', url, credentials), signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  if (response.ok || body.includes('BucketAlreadyOwnedByYou')) return;
  throw new Error(`creating bucket ${bucket} at ${endpoint} answered ${response.status}: ${body.slice(0, 300)}`);
}
