// Container environment as plain, ordered data. Order matters: Kubernetes expands $(VAR)
// only for variables defined earlier in the list (DATABASE_URL embeds the password this way,
// so no secret value is ever written into the manifests).
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';

export type EnvSource =
  | { readonly value: string }
  | { readonly secret: { readonly name: string; readonly key: string; readonly optional?: boolean } }
  | { readonly field: kplus.EnvFieldPaths };

export type EnvList = ReadonlyArray<readonly [name: string, source: EnvSource]>;

export const value = (v: string | number | boolean): EnvSource => ({ value: String(v) });
export const fromSecret = (name: string, key: string): EnvSource => ({ secret: { name, key } });

/** Renders an EnvList as cdk8s-plus env values, keeping its order. */
export function toEnvVariables(scope: Construct, env: EnvList): Record<string, kplus.EnvValue> {
  const out: Record<string, kplus.EnvValue> = {};
  for (const [name, source] of env) {
    if ('value' in source) out[name] = kplus.EnvValue.fromValue(source.value);
    else if ('field' in source) out[name] = kplus.EnvValue.fromFieldRef(source.field);
    else {
      const id = `secret-${source.secret.name}`;
      const secret = (scope.node.tryFindChild(id) as kplus.ISecret | undefined) ?? kplus.Secret.fromSecretName(scope, id, source.secret.name);
      out[name] = kplus.EnvValue.fromSecretValue({ secret, key: source.secret.key }, { optional: source.secret.optional });
    }
  }
  return out;
}
