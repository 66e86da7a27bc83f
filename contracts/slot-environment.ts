// How a real Langfuse tells lab slots apart. Apps stamp every span with the Langfuse
// environment of its slot, so the lab can count a slot's observations through the public API:
// environment is a filter of both majors' observation and metrics endpoints, unlike span
// attributes. (Kept apart from app-metrics.ts, which k6 loads and which must not import Node.)
import { createHash } from 'node:crypto';

/** Langfuse's span attribute for the environment (read by its OTLP ingestion). */
export const ENVIRONMENT_ATTRIBUTE = 'langfuse.environment';

/**
 * The Langfuse environment of a slot label: a hash, since environments allow only [a-z0-9_-],
 * at most 40 characters, and may not start with "langfuse". Labels unique per run (the lab
 * prefixes the run id) give environments unique per run.
 */
export function slotEnvironment(slot: string): string {
  return `tracelab-${createHash('sha256').update(slot).digest('hex').slice(0, 16)}`;
}
