// The self-hosted Langfuse stack: datastores (in-cluster or external), web, worker, the
// network policies that fence the datastores, and (staging) an Ingress for the UI.
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import type { Spec } from '../../contracts/spec/schema.ts';
import { labelStage } from '../stage.ts';
import { Datastores } from './datastores.ts';
import { langfuseEnv } from './env.ts';
import { DatastoreIsolation } from './network-policy.ts';
import { LangfuseServer, type LangfuseRole } from './server.ts';

export interface LangfuseChartProps {
  readonly spec: Spec;
}

export class LangfuseChart extends Chart {
  /** Base URL apps and collectors send to, e.g. http://langfuse-web:3000 */
  public readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: LangfuseChartProps) {
    super(scope, id, { namespace: props.spec.namespace, disableResourceNameHashes: true });
    const { spec } = props;
    const datastores = new Datastores(this, 'datastores', { datastores: spec.datastores });
    const isolation = new DatastoreIsolation(this, 'isolation', { stores: datastores.stores });
    const server = (role: LangfuseRole) =>
      new LangfuseServer(this, role, {
        role,
        image: spec.langfuse[role].image,
        replicas: spec.langfuse[role].replicas,
        resources: spec.langfuse[role].resources,
        env: langfuseEnv(spec, role, datastores.langfuseEnv[role]),
        nodePort: role === 'web' ? spec.langfuse.nodePort : undefined,
      });
    const web = server('web');
    const worker = server('worker');
    const ingress = spec.langfuse.ingress;
    if (ingress) {
      new k8s.KubeIngress(web, 'ingress', {
        metadata: { name: web.name, labels: web.podLabels, annotations: ingress.annotations },
        spec: {
          ingressClassName: ingress.className,
          tls: ingress.tlsSecretName ? [{ hosts: [ingress.host], secretName: ingress.tlsSecretName }] : undefined,
          rules: [
            {
              host: ingress.host,
              http: {
                paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: web.name, port: { number: web.port } } } }],
              },
            },
          ],
        },
      });
    }
    labelStage(datastores, 'datastores');
    labelStage(isolation, 'datastores');
    labelStage(web, 'web');
    labelStage(worker, 'worker');
    this.baseUrl = web.url;
  }
}
