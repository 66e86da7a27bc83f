// Every pinned external tool version, in one place. Bump here; the resolver, the collector
// builder manifest and the chart defaults read from it.

export const K6 = {
  version: 'v1.8.1',
  // The proxy serves go.k6.io/k6 (v1); go.k6.io/k6/v2 is not published there (checked 2026-11).
  goModule: 'go.k6.io/k6',
} as const;

/** helm, for `helm lint` / `helm template` of the chart `tracelab synth --format helm` writes (tests only). */
export const HELM = {
  version: 'v4.3.1',
  goModule: 'helm.sh/helm/v4/cmd/helm',
} as const;

export const COLLECTOR = {
  /** Core and contrib component version. */
  version: '0.159.0',
  /** Stable confmap modules follow the 1.x line. */
  confmapVersion: '1.65.0',
  builderModule: 'go.opentelemetry.io/collector/cmd/builder',
} as const;

const core = (path: string) => `go.opentelemetry.io/collector/${path} v${COLLECTOR.version}`;
const contrib = (path: string) => `github.com/open-telemetry/opentelemetry-collector-contrib/${path} v${COLLECTOR.version}`;
const confmap = (path: string) => `go.opentelemetry.io/collector/confmap/provider/${path} v${COLLECTOR.confmapVersion}`;

/** The components every config from contracts/collector-config.ts may use. */
export const COLLECTOR_COMPONENTS = {
  receivers: [core('receiver/otlpreceiver')],
  processors: [core('processor/memorylimiterprocessor'), core('processor/batchprocessor')],
  exporters: [core('exporter/otlphttpexporter'), core('exporter/otlpexporter'), core('exporter/debugexporter')],
  extensions: [contrib('extension/storage/filestorage'), contrib('extension/healthcheckextension')],
  providers: [confmap('envprovider'), confmap('fileprovider'), confmap('yamlprovider')],
} as const;

/** Release archives for users with the internet but no Go (linux/darwin, amd64/arm64). */
export function releaseUrl(tool: 'k6' | 'otelcol' | 'helm', os: string, arch: string): string {
  if (tool === 'helm') return `https://get.helm.sh/helm-${HELM.version}-${os}-${arch}.tar.gz`;
  if (tool === 'k6') {
    const ext = os === 'darwin' ? 'zip' : 'tar.gz';
    return `https://github.com/grafana/k6/releases/download/${K6.version}/k6-${K6.version}-${os === 'darwin' ? 'macos' : os}-${arch}.${ext}`;
  }
  // The contrib distribution carries every component listed above.
  return `https://github.com/open-telemetry/opentelemetry-collector-releases/releases/download/v${COLLECTOR.version}/otelcol-contrib_${COLLECTOR.version}_${os}_${arch}.tar.gz`;
}
