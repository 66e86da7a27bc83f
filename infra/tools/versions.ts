// Every pinned external tool version, in one place. Bump here; the resolver, the collector
// builder manifest and the chart defaults read from it.

export const K6 = {
  version: 'v1.8.1',
  // The proxy serves go.k6.io/k6 (v1); go.k6.io/k6/v2 is not published there (checked 2026-11).
  goModule: 'go.k6.io/k6',
} as const;

export const COLLECTOR = {
  /** Core and contrib component version. */
  version: '0.159.0',
  /** Stable confmap modules follow the 1.x line. */
  confmapVersion: '1.65.0',
  builderModule: 'go.opentelemetry.io/collector/cmd/builder',
} as const;

/**
 * The control plane the cluster-path tests run against (no container engine needed): etcd,
 * Kubernetes' own server binaries and kubectl, and kwok, which plays the nodes. Built with Go
 * from the module proxy (infra/tools/control-plane.ts) and cached per user by version.
 */
export const CONTROL_PLANE = {
  /** The newest release the proxy served (checked 2026-11). */
  kubernetes: {
    version: 'v1.37.2',
    module: 'k8s.io/kubernetes',
    commands: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'],
  },
  etcd: { version: 'v3.6.16', module: 'go.etcd.io/etcd/server/v3' },
  kwok: { version: 'v0.8.0', module: 'sigs.k8s.io/kwok', command: 'sigs.k8s.io/kwok/cmd/kwok' },
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
export function releaseUrl(tool: 'k6' | 'otelcol', os: string, arch: string): string {
  if (tool === 'k6') {
    const ext = os === 'darwin' ? 'zip' : 'tar.gz';
    return `https://github.com/grafana/k6/releases/download/${K6.version}/k6-${K6.version}-${os === 'darwin' ? 'macos' : os}-${arch}.${ext}`;
  }
  // The contrib distribution carries every component listed above.
  return `https://github.com/open-telemetry/opentelemetry-collector-releases/releases/download/v${COLLECTOR.version}/otelcol-contrib_${COLLECTOR.version}_${os}_${arch}.tar.gz`;
}

/**
 * Langfuse server releases the local Langfuse builds from source (FACTS.md, "Real Langfuse
 * without containers"). `sha256` is the release archive as kept in ../shared/vendor/langfuse
 * (a `git archive` of the tag); pnpm is the version the release's package.json pins.
 */
export const LANGFUSE_SOURCES = {
  3: { version: '3.225.4', pnpm: '11.10.0', sha256: 'e3c3fc388cc525b4476847bf54da2b5a4633cab7daf33033e7a3fb8a3b59301f' },
  4: { version: '4.16.0', pnpm: '11.22.0', sha256: 'd797af26229e6f5a307f59551133690e9fac4c1b11390bd31824dc741f376cfb' },
} as const;

/** Prisma's Rust-free client needs this driver adapter, at the Prisma version the releases use. */
export const PRISMA_ADAPTER_PG = '6.19.3';

/** MinIO has no semver tags on the Go module proxy; this is the newest pseudo-version it served (2026-11). */
export const MINIO = { goModule: 'github.com/minio/minio', version: 'v0.0.0-20260212201848-7aac2a2c5b7c' } as const;
