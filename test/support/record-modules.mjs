// Preloaded with --import into a process under test: records every module URL it resolves
// (import and require) and writes the list to $RECORD_MODULES_FILE on exit.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const seen = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    seen.add(result.url);
    return result;
  },
});
process.on('exit', () => writeFileSync(process.env.RECORD_MODULES_FILE, [...seen].join('\n')));
