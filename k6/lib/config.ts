// Run settings from env, shared by every scenario. Runs inside k6 (not Node): no node
// modules, local imports by full file name. The names are the contract in contracts/k6-env.ts.
import { readK6Env, type K6RunSettings } from '../../contracts/k6-env.ts';

export type RunConfig = K6RunSettings;

export function runConfig(): RunConfig {
  return readK6Env(__ENV);
}
