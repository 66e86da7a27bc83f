import type { TargetSettings } from '../../../../contracts/target-app.ts';
import { noTracing } from './none.ts';
import type { Tracing, TracingObserver } from './types.ts';

/** Tracing for the settings' mode. Traced modes are imported lazily: `none` loads no SDK. */
export async function createTracing(settings: TargetSettings, observer: TracingObserver): Promise<Tracing> {
  if (settings.tracing === 'none') return noTracing();
  const { langfuseTracing } = await import('./langfuse-tracing.ts');
  return langfuseTracing(settings, observer);
}
