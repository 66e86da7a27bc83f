// The layers import one way (.dependency-cruiser.mjs). A back import fails here, named by
// the rule it breaks.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';
import extractDepcruiseConfig from 'dependency-cruiser/config-utl/extract-depcruise-config';

const root = new URL('..', import.meta.url).pathname;
const config = await extractDepcruiseConfig(`${root}.dependency-cruiser.mjs`);
const LAYERS = ['apps', 'charts', 'contracts', 'infra', 'k6', 'scripts'];

async function cruiseLayers(baseDir: string, tsConfig?: string): Promise<{ violations: string[]; modules: number }> {
  const { tsConfig: _ignored, ...options } = config.options ?? {};
  const result = await cruise(
    LAYERS.filter((l) => l !== 'k6' || tsConfig),
    {
      ...options,
      baseDir,
      validate: true,
      ruleSet: { forbidden: config.forbidden },
      ...(tsConfig ? { tsConfig: { fileName: tsConfig } } : {}),
    },
  );
  const output = result.output as ICruiseResult;
  return { violations: output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`), modules: output.summary.totalCruised };
}

describe('layers import one way', { timeout: 60_000 }, () => {
  it('the project has no back import and no cycle', async () => {
    const { violations, modules } = await cruiseLayers(root, 'tsconfig.json');
    expect(modules).toBeGreaterThan(50);
    expect(violations).toEqual([]);
  });

  it("a back import in a layout like the project's is reported with the rule's name", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracelab-layers-'));
    const files: Record<string, string> = {
      'contracts/spec.ts': 'export const x = 1;\n',
      'apps/web/src/server.ts':
        "import { run } from '../../../infra/local/lab.ts';\nimport { x } from '../../../contracts/spec.ts';\nexport const y = run + x;\n",
      'infra/local/lab.ts': "import { c } from '../../charts/collector/config.ts';\nexport const run = c;\n",
      'charts/collector/config.ts': 'export const c = 2;\n',
      'charts/synthesize.ts': 'export const s = 3;\n',
      'scripts/cli.ts': 'export const z = 4;\n',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const found = (await cruiseLayers(dir)).violations;
    expect(found).toEqual(
      expect.arrayContaining([
        'apps-import-only-contracts: apps/web/src/server.ts → infra/local/lab.ts',
        'infra-reaches-charts-through-synthesize: infra/local/lab.ts → charts/collector/config.ts',
      ]),
    );
    // The allowed import (apps → contracts) is not among them.
    expect(found.some((v) => v.includes('contracts/spec.ts'))).toBe(false);
  });
});
