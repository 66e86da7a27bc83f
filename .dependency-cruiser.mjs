// Which layer may import which. The pipeline runs one way:
//   scripts (CLI) → infra (targets, load, analysis, report) → charts → apps,
// and every layer may import contracts/, which imports nothing of the project.
// `npm run depcruise` prints violations; test/architecture.test.ts fails on any.
const project = '^(apps|charts|contracts|infra|k6|scripts|test)/';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'contracts-import-nothing-of-the-project',
      comment: 'contracts/ is what every layer agrees on; it must not depend on any of them.',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { path: project, pathNot: '^contracts/' },
    },
    {
      name: 'apps-import-only-contracts',
      comment: 'An app is built into its own image: it may use contracts/ and its own folder, nothing else of the project.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: project, pathNot: ['^contracts/', '^apps/$1/'] },
    },
    {
      name: 'charts-do-not-import-targets-or-apps',
      comment: 'Charts turn the spec into objects; they read contracts/, never infra/, scripts/ or app code.',
      severity: 'error',
      from: { path: '^charts/' },
      to: { path: '^(apps|infra|scripts|test)/' },
    },
    {
      name: 'infra-reaches-charts-through-synthesize',
      comment: 'Targets use the charts as a whole (charts/synthesize.ts), not their internals.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^charts/', pathNot: '^charts/synthesize\\.ts$' },
    },
    {
      name: 'infra-does-not-import-apps-or-cli',
      comment: 'Targets start apps as processes or images; the CLI sits above infra.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^(apps|scripts|test)/' },
    },
    {
      name: 'analysis-reads-only-the-raw-record',
      comment: 'Analysis reads what the load stage wrote; it knows no target and writes no words.',
      severity: 'error',
      from: { path: '^infra/analysis/' },
      to: { path: '^infra/(local|cluster|report|tools|bench|experiment)/' },
    },
    {
      name: 'report-reads-only-results',
      comment: 'The report renders results.json; it never reaches back into targets, load or raw data.',
      severity: 'error',
      from: { path: '^infra/report/' },
      to: { path: '^infra/(local|cluster|load|tools|bench|experiment)/' },
    },
    {
      name: 'targets-do-not-analyse',
      comment: 'A target produces the raw record; analysis and report come after it.',
      severity: 'error',
      from: { path: '^infra/(local|cluster|load)/' },
      to: { path: '^infra/(analysis|report)/' },
    },
    {
      name: 'k6-scripts-import-k6-and-their-contracts',
      comment: 'k6 loads these files itself: only k6/ and the contracts in contracts/k6-bundle.ts resolve there.',
      severity: 'error',
      from: { path: '^k6/' },
      to: { path: project, pathNot: ['^k6/', '^contracts/(k6-env|app-metrics)\\.ts$'] },
    },
    {
      name: 'no-circular',
      comment: 'A cycle of type-only imports is erased at run time and allowed.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|^\\.tools/' },
    // TypeScript 7 (native tsc) has no JS API yet; swc parses the sources instead.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js'] },
  },
};
