import { describe, expect, it } from 'vitest';
import { specJsonSchema } from '../../contracts/spec/json-schema.ts';

describe('tracelab schema', () => {
  const schema = specJsonSchema() as any;
  const spec = schema.properties.spec;

  it('describes the document an editor completes, down to topology SDK knobs', () => {
    expect(schema.required).toEqual(expect.arrayContaining(['apiVersion', 'kind', 'metadata']));
    const topology = spec.properties.topologies.items;
    expect(topology.properties.topology.enum).toEqual(['baseline', 'inprocess', 'collector', 'sidecar', 'agent']);
    expect(Object.keys(topology.properties.sdk.properties)).toEqual(
      expect.arrayContaining(['batchSize', 'flushInterval', 'queueSize', 'exportMode', 'samplingRatio']),
    );
  });

  it('rejects unknown fields, as validate does', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(spec.additionalProperties).toBe(false);
  });

  it('carries defaults and descriptions', () => {
    expect(spec.properties.load.properties.rate.default).toBe(50);
    expect(spec.properties.load.properties.rate.description).toMatch(/requests per second/);
  });
});
