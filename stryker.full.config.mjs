// npm run mutation:full — the same as stryker.config.mjs, static mutants included (see there).
import base from './stryker.config.mjs';

export default {
  ...base,
  ignoreStatic: false,
  htmlReporter: { fileName: 'reports/mutation-full/index.html' },
  jsonReporter: { fileName: 'reports/mutation-full/mutation.json' },
};
