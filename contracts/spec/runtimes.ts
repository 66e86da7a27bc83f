// Which target app a topology runs: the runtime (node | python), the Langfuse SDK line it
// loads and the image that carries both. A topology names its runtime and SDK line, or
// takes them from spec.app; the local lab and the charts resolve them through this file.

export const RUNTIMES = ['node', 'python'] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** Langfuse SDK majors, as a topology's sdkVersion names them. */
export const SDK_VERSIONS = [3, 5] as const;
export type SdkVersion = (typeof SDK_VERSIONS)[number];

export const EVENT_LOOPS = ['asyncio', 'uvloop'] as const;
export type EventLoop = (typeof EVENT_LOOPS)[number];

/**
 * The SDK lines each runtime ships, with what pins them. Node has one line (the npm lock);
 * Python has the field report's 3.x and the current major, each in its own lock file and
 * virtualenv (apps/target-python/requirements/sdk<line>.txt).
 */
export const SDK_LINES: Record<Runtime, Partial<Record<SdkVersion, string>>> = {
  node: { 5: '@langfuse/otel 5.x (package-lock.json)' },
  python: { 3: 'langfuse 3.15.0 (apps/target-python/requirements/sdk3.txt)', 5: 'langfuse 5.0.4 (apps/target-python/requirements/sdk5.txt)' },
};

export const sdkVersionsOf = (runtime: Runtime): SdkVersion[] => SDK_VERSIONS.filter((v) => SDK_LINES[runtime][v] !== undefined);

/** The newest line a runtime ships: the default sdkVersion. */
export const newestSdkVersion = (runtime: Runtime): SdkVersion => sdkVersionsOf(runtime).at(-1)!;

/** Key of spec.app.images for a runtime and SDK line, e.g. "python-sdk3". */
export const imageKey = (runtime: Runtime, sdkVersion: SdkVersion) => `${runtime}-sdk${sdkVersion}` as const;

/** What a topology runs, after defaults from spec.app. */
export interface TopologyApp {
  readonly runtime: Runtime;
  readonly sdkVersion: SdkVersion;
  readonly eventLoop: EventLoop;
}

interface AppDefaults {
  readonly runtime: Runtime;
  readonly sdkVersion?: SdkVersion;
  readonly eventLoop: EventLoop;
}
interface TopologyOverrides {
  readonly runtime?: Runtime;
  readonly sdkVersion?: SdkVersion;
  readonly eventLoop?: EventLoop;
}

/**
 * A topology's runtime, SDK line and event loop: its own, else spec.app's. An sdkVersion set
 * on spec.app applies only to topologies of spec.app's runtime; others take their newest line.
 */
export function topologyApp(app: AppDefaults, topology: TopologyOverrides): TopologyApp {
  const runtime = topology.runtime ?? app.runtime;
  const appLine = runtime === app.runtime ? app.sdkVersion : undefined;
  return {
    runtime,
    sdkVersion: topology.sdkVersion ?? appLine ?? newestSdkVersion(runtime),
    eventLoop: topology.eventLoop ?? (runtime === 'python' ? app.eventLoop : 'asyncio'),
  };
}

/** The image of a topology's app, from spec.app.images (validation guarantees the key exists). */
export function appImage(images: Readonly<Record<string, string>>, app: Pick<TopologyApp, 'runtime' | 'sdkVersion'>): string {
  const image = images[imageKey(app.runtime, app.sdkVersion)];
  if (!image)
    throw new Error(
      `spec.app.images has no "${imageKey(app.runtime, app.sdkVersion)}" (runtime ${app.runtime} ships SDK line ${sdkVersionsOf(app.runtime).join(' | ')})`,
    );
  return image;
}
