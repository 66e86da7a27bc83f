// The TraceLab CustomResourceDefinition, generated from the zod schema that validates
// tracelab.yaml (one source of truth) and the zod status schema.
import { z } from 'zod';
import { CRD_NAME, GROUP, PLURAL, VERSION } from './cluster-resource.ts';
import { PROFILE_PRESETS } from './spec/profiles.ts';
import { KIND, traceLabSchema } from './spec/schema.ts';
import { traceLabStatus } from './status.ts';
import { structuralSchema } from './structural-schema.ts';

type Json = Record<string, unknown>;

/** Paths (below spec) some profile sets: a CRD default there would override the profile. */
function profilePaths(): string[][] {
  const out: string[][] = [];
  const walk = (value: unknown, path: string[]) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
    } else out.push(path);
  };
  for (const preset of Object.values(PROFILE_PRESETS)) walk(preset, []);
  return out;
}

/**
 * Defaults that stay out of the CRD. spec.namespace: the stack goes into the TraceLab's own
 * namespace, which the reconciler fills in when the field is absent.
 */
const NO_DEFAULT = [['namespace']];

function specSchema(): Json {
  const document = z.toJSONSchema(traceLabSchema, { io: 'input', unrepresentable: 'throw', target: 'openapi-3.0' }) as Json;
  const spec = (document.properties as Record<string, Json>).spec;
  const touched = [...profilePaths(), ...NO_DEFAULT];
  const dropDefault = (path: readonly string[]) => touched.some((p) => path.length <= p.length && path.every((key, i) => key === p[i]));
  return structuralSchema(spec, { dropDefault });
}

function statusSchema(): Json {
  const status = z.toJSONSchema(traceLabStatus, { io: 'output', target: 'openapi-3.0' }) as Json;
  const schema = structuralSchema(status, { dropDefault: () => true });
  const conditions = (schema.properties as Record<string, Json>).conditions;
  // One entry per condition type, merged by type on apply.
  Object.assign(conditions, { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] });
  return schema;
}

export function traceLabCrd(): Json {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: CRD_NAME, labels: { 'app.kubernetes.io/part-of': 'tracelab' } },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { kind: KIND, listKind: `${KIND}List`, plural: PLURAL, singular: 'tracelab', shortNames: ['tl'], categories: ['tracelab'] },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
            { name: 'Stage', type: 'string', jsonPath: '.status.stage', description: 'the stage being waited for' },
            { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
            { name: 'Profile', type: 'string', jsonPath: '.spec.profile' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'TraceLab: a self-hosted Langfuse + OpenTelemetry Collector stack and the tracing-overhead topologies it measures.',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: specSchema(),
                status: statusSchema(),
              },
              'x-kubernetes-validations': [
                {
                  // Every object of the stack carries the name as a label value (max 63).
                  rule: "self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$') && size(self.metadata.name) <= 63",
                  message: 'metadata.name must be a DNS label (lower-case letters, digits and "-", at most 63 characters)',
                },
              ],
            },
          },
        },
      ],
    },
  };
}
