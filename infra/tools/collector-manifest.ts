// The OpenTelemetry Collector Builder (ocb) manifest, built from typed data.
import { stringify } from 'yaml';
import { COLLECTOR, COLLECTOR_COMPONENTS } from './versions.ts';

export const COLLECTOR_BINARY_NAME = 'otelcol-tracelab';

export function builderManifest(outputPath: string): string {
  const gomods = (list: readonly string[]) => list.map((gomod) => ({ gomod }));
  return stringify({
    dist: {
      name: COLLECTOR_BINARY_NAME,
      description: 'OpenTelemetry Collector with the components tracelab configs use',
      output_path: outputPath,
      version: COLLECTOR.version,
    },
    receivers: gomods(COLLECTOR_COMPONENTS.receivers),
    processors: gomods(COLLECTOR_COMPONENTS.processors),
    exporters: gomods(COLLECTOR_COMPONENTS.exporters),
    extensions: gomods(COLLECTOR_COMPONENTS.extensions),
    providers: gomods(COLLECTOR_COMPONENTS.providers),
  });
}
