// Cross-field rules about which app a topology runs: its runtime, SDK line and event loop,
// and the SDK knobs that exist only in one runtime. Each issue names the field and the fix.
import type { TraceLabDocument } from './schema.ts';
import { SDK_LINES, sdkVersionsOf, topologyApp, type TopologyApp } from './runtimes.ts';

type Issue = (path: (string | number)[], message: string, input?: unknown) => void;

/** Topologies of one runtime and event loop share a baseline: the floor they are measured against. */
export const baselineGroup = (app: TopologyApp) => (app.runtime === 'python' ? `python/${app.eventLoop}` : app.runtime);

export function runtimeRules(doc: TraceLabDocument, issue: Issue): void {
  const { spec } = doc;
  const appLines = sdkVersionsOf(spec.app.runtime);
  if (spec.app.sdkVersion !== undefined && !appLines.includes(spec.app.sdkVersion)) {
    issue(['app', 'sdkVersion'], `runtime ${spec.app.runtime} ships SDK line ${appLines.join(' | ')}; use one of them`, spec.app.sdkVersion);
  }
  const baselines = new Set<string>();
  const resolved = spec.topologies.map((t) => topologyApp(spec.app, t));
  resolved.forEach((app, i) => {
    if (spec.topologies[i].topology === 'baseline') baselines.add(baselineGroup(app));
  });

  spec.topologies.forEach((t, i) => {
    const app = resolved[i];
    const at = (...path: string[]) => ['topologies', i, ...path];
    if (t.sdkVersion !== undefined && !SDK_LINES[app.runtime][t.sdkVersion]) {
      const lines = sdkVersionsOf(app.runtime);
      issue(
        at('sdkVersion'),
        `runtime ${app.runtime} ships SDK line ${lines.join(' | ')} (not ${t.sdkVersion}); use one of them or another runtime`,
        t.sdkVersion,
      );
    }
    if (app.runtime !== 'python' && t.eventLoop === 'uvloop') {
      issue(at('eventLoop'), 'uvloop is a Python event loop; drop eventLoop or set runtime: python', t.eventLoop);
    }
    if (app.runtime === 'python') {
      if (t.sdk.setup === 'hand-built') {
        issue(
          at('sdk', 'setup'),
          "a hand-built provider exists only in the node app; the Python app sets up tracing with the Langfuse client (use 'documented')",
          t.sdk.setup,
        );
      }
      if (t.sdk.exportMode === 'immediate') {
        issue(
          at('sdk', 'exportMode'),
          "the Python SDK has no immediate export mode (it always batches on a background thread); use 'batched' with a small sdk.batchSize instead",
          t.sdk.exportMode,
        );
      }
      if (t.sdk.serializeIn === 'worker') {
        issue(
          at('sdk', 'serializeIn'),
          "the Python SDK always encodes on its export thread; 'worker' is a node option — use 'loop' (the SDK default)",
          t.sdk.serializeIn,
        );
      }
    }
    if (t.topology !== 'baseline' && !baselines.has(baselineGroup(app))) {
      const loop = app.runtime === 'python' ? `, eventLoop: ${app.eventLoop}` : '';
      const name = `baseline-${baselineGroup(app).replace('/', '-')}`;
      issue(
        at('topology'),
        `is compared with a baseline of its own runtime, and there is none for ${baselineGroup(app)}: add \`- { topology: baseline, name: ${name}, runtime: ${app.runtime}${loop} }\``,
        t.topology,
      );
    }
  });
}
