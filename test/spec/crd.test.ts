// Given the zod schema, when the CRD is generated, then its schema is one the API server takes
// as structural, and carries defaults only where no profile would be overridden by them.
// (test/cluster/crd.test.ts hands it to a real API server.)
import { describe, expect, it } from 'vitest';
import { traceLabCrd } from '../../contracts/crd.ts';
import { structuralSchema } from '../../contracts/structural-schema.ts';

type Node = Record<string, any>;
const crd = traceLabCrd() as Node;
const version = crd.spec.versions[0];
const root: Node = version.schema.openAPIV3Schema;

function walk(node: Node, path: string, visit: (node: Node, path: string) => void): void {
  visit(node, path);
  for (const [key, child] of Object.entries(node.properties ?? {})) walk(child as Node, `${path}.${key}`, visit);
  if (node.items) walk(node.items, `${path}[]`, visit);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}.*`, visit);
}

describe('the TraceLab CRD', () => {
  it('is structural: every node typed, no $ref, no additionalProperties: false, no typed anyOf/oneOf', () => {
    walk(root.properties.spec, 'spec', (node, path) => {
      expect(node.type, path).toMatch(/^(object|array|string|integer|number|boolean)$/);
      expect(node.$ref, path).toBeUndefined();
      expect(node.additionalProperties, path).not.toBe(false);
      expect(node.anyOf ?? node.oneOf ?? node.allOf, path).toBeUndefined();
      if (node.type === 'object') expect(node.properties ?? node.additionalProperties, path).toBeDefined();
    });
  });

  it('carries enums, and defaults only where no profile sets a value', () => {
    const spec = root.properties.spec.properties;
    expect(spec.profile).toMatchObject({ type: 'string', enum: ['kind', 'eks'], default: 'kind' });
    expect(spec.langfuse.properties.version).toMatchObject({ type: 'integer', enum: [3, 4], default: 4 });
    expect(spec.collector.properties.batch.properties.timeout.default).toBe('200ms');
    // The kind profile sets these: a server-side default would silently beat it.
    expect(spec.langfuse.properties.web.properties.replicas.default).toBeUndefined();
    expect(spec.langfuse.properties.web.properties.resources.default).toBeUndefined();
    expect(spec.app.properties.resources.default).toBeUndefined();
    // The stack goes next to its resource unless told otherwise.
    expect(spec.namespace.default).toBeUndefined();
  });

  it('flattens in-cluster | external datastores into one object with CEL rules per mode', () => {
    const postgres = root.properties.spec.properties.datastores.properties.postgres;
    expect(postgres.properties.mode).toMatchObject({ type: 'string', enum: ['in-cluster', 'external'] });
    expect(Object.keys(postgres.properties)).toEqual(expect.arrayContaining(['image', 'storage', 'resources', 'urlSecretRef']));
    const rules = postgres['x-kubernetes-validations'].map((r: Node) => r.message);
    expect(rules).toEqual(expect.arrayContaining(['urlSecretRef is required when mode is external', 'image is only allowed with mode: in-cluster']));
    // No variant's default leaks into the other variant.
    walk(postgres, 'postgres', (node, path) => expect(node.default, path).toBeUndefined());
  });

  it('has a status subresource with conditions keyed by type, and printer columns', () => {
    expect(version.subresources).toEqual({ status: {} });
    const status = root.properties.status.properties;
    expect(status.conditions).toMatchObject({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] });
    expect(status.conditions.items.properties.type.enum).toEqual(['Ready', 'Progressing', 'Degraded']);
    expect(status.components.items.properties.stage.enum).toEqual(['datastores', 'web', 'worker', 'collectors', 'apps', 'loadtest']);
    expect(version.additionalPrinterColumns.map((c: Node) => c.name)).toEqual(['Phase', 'Stage', 'Ready', 'Profile', 'Age']);
  });

  it('refuses what it cannot express, naming the field', () => {
    expect(() =>
      structuralSchema({ type: 'object', properties: { x: { anyOf: [{ type: 'string' }, { type: 'number' }] } } }, { dropDefault: () => false }),
    ).toThrow(/spec schema at x: only unions of literals or of objects/);
    // A lookahead is no RE2: the pattern stays with zod, the type with the CRD.
    expect(structuralSchema({ type: 'string', pattern: '^(?!-)x$' }, { dropDefault: () => false })).toEqual({ type: 'string' });
  });
});
