// The Langfuse server environment lives in contracts/langfuse-env.ts, shared with the local
// Langfuse (infra/langfuse/), so a local run proves the env these charts write boots Langfuse.
import { langfuseEnv as sharedLangfuseEnv, type LangfuseRole } from '../../contracts/langfuse-env.ts';
import type { Spec } from '../../contracts/spec/schema.ts';
import type { EnvList } from '../env.ts';

export { requiredLangfuseEnv } from '../../contracts/langfuse-env.ts';

export function langfuseEnv(spec: Spec, role: LangfuseRole, backends: EnvList): EnvList {
  // The shared builder adds only literals and Secret references, which EnvList holds as they are.
  return sharedLangfuseEnv(spec, role, backends) as EnvList;
}
