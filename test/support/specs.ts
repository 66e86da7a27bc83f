// Specs the tests synthesize: the shipped default under each profile, both Langfuse majors,
// and a staging shape with every datastore external.
import { readFileSync } from 'node:fs';
import { loadSpecFile, parseSpec } from '../../contracts/spec/read.ts';
import type { TraceLab } from '../../contracts/spec/schema.ts';

export const DEFAULT_SPEC_TEXT = readFileSync(new URL('../../tracelab.yaml', import.meta.url), 'utf8');

export function minimal(spec = ''): string {
  return `apiVersion: tracelab.dev/v1alpha1\nkind: TraceLab\nmetadata:\n  name: test\nspec:\n${spec || '  {}'}\n`;
}

export const EXTERNAL_DATASTORES = minimal(`  profile: eks
  datastores:
    postgres: { mode: external, urlSecretRef: { name: rds, key: url } }
    clickhouse:
      mode: external
      url: http://clickhouse.example.internal:8123
      migrationUrl: clickhouse://clickhouse.example.internal:9000
      user: langfuse
      passwordSecretRef: { name: clickhouse-creds, key: password }
    redis: { mode: external, host: redis.example.internal, tls: true, passwordSecretRef: { name: elasticache, key: auth } }
    objectStore: { mode: external, bucket: langfuse-events, region: eu-west-1 }
  collector:
    persistentQueue: { enabled: true }`);

/**
 * The eks profile as a staging rollout uses it: Postgres and Valkey in the cluster on gp3,
 * ClickHouse and S3 managed (the profile's defaults), an Ingress for the UI.
 */
export const EKS_STAGING = minimal(`  profile: eks
  langfuse:
    nextauthUrl: https://langfuse.staging.example.com
    ingress: { host: langfuse.staging.example.com, className: alb, annotations: { alb.ingress.kubernetes.io/scheme: internal } }
  datastores:
    clickhouse:
      url: http://clickhouse.example.internal:8123
      migrationUrl: clickhouse://clickhouse.example.internal:9000
      user: langfuse
      passwordSecretRef: { name: clickhouse-creds, key: password }
      clusterEnabled: true
    objectStore: { bucket: langfuse-staging-events, region: eu-west-1 }`);

export const LANGFUSE_V3 = minimal(`  langfuse: { version: 3 }
  topologies:
    - topology: baseline
    - topology: sidecar
    - topology: sidecar
      name: sidecar-batch-64
      sdk: { batchSize: 64 }`);

export interface NamedSpec {
  readonly label: string;
  readonly doc: TraceLab;
}

export function specMatrix(): NamedSpec[] {
  return [
    { label: 'default (kind)', doc: parseSpec(DEFAULT_SPEC_TEXT, 'tracelab.yaml') },
    { label: 'eks staging (gp3, managed ClickHouse and S3, Ingress)', doc: parseSpec(EKS_STAGING, 'eks.yaml') },
    { label: 'external datastores (eks)', doc: parseSpec(EXTERNAL_DATASTORES, 'external.yaml') },
    { label: 'Langfuse v3, two sidecar variants', doc: parseSpec(LANGFUSE_V3, 'v3.yaml') },
    { label: 'field report (python, SDK lines 3 and 5)', doc: loadSpecFile(new URL('../../examples/field-report.yaml', import.meta.url).pathname) },
  ];
}
