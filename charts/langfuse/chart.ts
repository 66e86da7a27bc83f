// The self-hosted Langfuse stack: datastores (in-cluster or external), web, worker, and the
// network policies that fence the datastores.
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Spec } from '../../contracts/spec/schema.ts';
import { Datastores } from './datastores.ts';
import { DatastoreIsolation } from './network-policy.ts';
import { LangfuseServer } from './server.ts';

export interface LangfuseChartProps {
  readonly spec: Spec;
}

export class LangfuseChart extends Chart {
  /** Base URL apps and collectors send to, e.g. http://langfuse-web:3000 */
  public readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: LangfuseChartProps) {
    super(scope, id, { namespace: props.spec.namespace, disableResourceNameHashes: true });
    const datastores = new Datastores(this, 'datastores', { datastores: props.spec.datastores });
    const web = new LangfuseServer(this, 'web', { spec: props.spec, role: 'web', backends: datastores.langfuseEnv });
    new LangfuseServer(this, 'worker', { spec: props.spec, role: 'worker', backends: datastores.langfuseEnv });
    new DatastoreIsolation(this, 'isolation', datastores.stores);
    this.baseUrl = web.url;
  }
}
