// What each supported Langfuse server major needs (FACTS.md: images, ClickHouse minimums).
// Images are pinned to a release (never a floating major tag like `:4`): a pod restarted a
// month later must run what was tested. The Langfuse releases are those in shared/vendor.
// The schema picks defaults from here and validation checks in-cluster ClickHouse against it.

export const LANGFUSE_MAJORS = [3, 4] as const;
export type LangfuseMajor = (typeof LANGFUSE_MAJORS)[number];

export interface LangfuseRelease {
  readonly webImage: string;
  readonly workerImage: string;
  /** Oldest ClickHouse this major runs on. */
  readonly clickhouseMinimum: string;
  readonly clickhouseImage: string;
}

export const LANGFUSE_RELEASES: Record<LangfuseMajor, LangfuseRelease> = {
  3: {
    webImage: 'langfuse/langfuse:3.225.4',
    workerImage: 'langfuse/langfuse-worker:3.225.4',
    clickhouseMinimum: '24.3',
    clickhouseImage: 'clickhouse/clickhouse-server:25.8.29.51',
  },
  4: {
    webImage: 'langfuse/langfuse:4.16.0',
    workerImage: 'langfuse/langfuse-worker:4.16.0',
    clickhouseMinimum: '25.12',
    clickhouseImage: 'clickhouse/clickhouse-server:26.4.4.38',
  },
};

/** "clickhouse/clickhouse-server:25.8.3" → [25, 8]; undefined for tags like "latest". */
export function imageMajorMinor(image: string): [number, number] | undefined {
  const tag = image.split('@')[0].split(':')[1];
  const match = tag ? /^(\d+)\.(\d+)/.exec(tag) : null;
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

export function versionAtLeast(actual: [number, number], minimum: string): boolean {
  const [major, minor] = minimum.split('.').map(Number);
  return actual[0] > major || (actual[0] === major && actual[1] >= minor);
}
