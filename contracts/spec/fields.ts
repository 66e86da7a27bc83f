// Small field types reused across the spec: quantities, durations, references.
// Each carries a message that says what is allowed, because that message is what a user
// reads when `tracelab validate` rejects a value.
import { z } from 'zod';
export { durationMs } from '../duration.ts';

export const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit')
  .max(63, 'must be at most 63 characters (a Kubernetes name)');

export const cpuQuantity = z.string().regex(/^\d+(\.\d+)?m?$/, 'must be a CPU quantity such as "500m" or "2"');

export const memoryQuantity = z.string().regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'must be a memory quantity such as "512Mi" or "4Gi"');

/** A duration as k6 and the collector write it: "250ms", "5s", "2m", "1h". */
export const duration = z.string().regex(/^\d+(ms|s|m|h)$/, 'must be a duration such as "250ms", "5s", "2m" or "1h"');

/** A latency with a fraction allowed: "0.5ms", "2ms", "1.5s". */
export const latency = z.string().regex(/^\d+(\.\d+)?(ms|s)$/, 'must be a latency such as "0.5ms", "2ms" or "1.5s"');

export function latencyMs(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(value);
  if (!match) throw new Error(`not a latency: ${JSON.stringify(value)} (use "0.5ms", "2ms" or "1.5s")`);
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

export const image = z.string().regex(/^[a-z0-9][\w./:-]*(@sha256:[a-f0-9]{64})?$/, 'must be a container image reference such as "langfuse/langfuse:4.16.0"');

export const resources = z.strictObject({
  requests: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
  limits: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
});
export type Resources = z.infer<typeof resources>;

/** A key in an existing Secret. The value never appears in the spec or in synthesized YAML. */
export const secretKeyRef = z.strictObject({
  name: dnsLabel.describe('name of an existing Secret in the namespace'),
  key: z.string().min(1).describe('key inside that Secret'),
});
export type SecretKeyRef = z.infer<typeof secretKeyRef>;

export const storage = z.strictObject({
  size: memoryQuantity.describe('size of the PersistentVolumeClaim'),
  storageClassName: z.string().optional().describe('storage class; the cluster default when omitted'),
});

/** A Kubernetes NodePort (the API server's default range). */
export const nodePort = z.int().min(30000).max(32767);
