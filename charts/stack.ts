// The whole stack from one spec: namespace → langfuse → collector → topologies → loadtest.
// Each chart is one YAML file; outputs (URLs) flow from one chart's construct to the next.
import { App, YamlOutputType } from 'cdk8s';
import type { Spec } from '../contracts/spec/schema.ts';
import { CollectorChart } from './collector/chart.ts';
import { LangfuseChart } from './langfuse/chart.ts';
import { LoadTestChart } from './loadtest/chart.ts';
import { NamespaceChart } from './namespace.ts';
import { TopologiesChart } from './topologies/chart.ts';

/** Chart ids are file names; the numeric prefix is the apply order. */
export const CHART_FILES = ['00-namespace', '10-langfuse', '20-collector', '30-topologies', '40-loadtest'] as const;

export function buildStack(spec: Spec, outdir = 'dist'): App {
  const app = new App({ outdir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
  new NamespaceChart(app, '00-namespace', { namespace: spec.namespace, hostPorts: spec.collector.agent.enabled });
  const langfuse = new LangfuseChart(app, '10-langfuse', { spec });
  const collector = new CollectorChart(app, '20-collector', { spec, langfuseOtelEndpoint: `${langfuse.baseUrl}/api/public/otel` });
  new TopologiesChart(app, '30-topologies', { spec, langfuseBaseUrl: langfuse.baseUrl, gatewayTracesUrl: collector.gatewayTracesUrl });
  new LoadTestChart(app, '40-loadtest', { spec });
  return app;
}
