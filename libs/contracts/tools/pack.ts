/**
 * `npm run contracts:pack`: builds the publishable @tongban/contracts into dist/packages/contracts
 * and packs it (npm pack) into dist/packages/tongban-contracts-<version>.tgz:
 * - lib/: the library and CLI compiled by swc (no specs), the committed precompiled validators
 *   verbatim, and .d.ts from tsc (tsconfig.build.json);
 * - contracts/: the schemas, examples and changelogs of the repository's contracts/;
 * - package.json and README.md of libs/contracts.
 * Refuses to pack when src/generated is stale (run npm run contracts:generate).
 * `--dry-run`: build, then list what the tarball would contain without writing it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateContractsCode } from './generate';

const root = process.cwd();
const lib = join(root, 'libs/contracts');
const generatedDir = join(lib, 'src/generated');
const outDir = join(root, 'dist/packages');
const stage = join(outDir, 'contracts');
const bin = (name: string): string => join(root, 'node_modules/.bin', name);

async function assertGeneratedFresh(): Promise<void> {
  const expected = await generateContractsCode(join(root, 'contracts'));
  for (const [path, content] of expected) {
    const file = join(generatedDir, path);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== content) {
      throw new Error(`libs/contracts/src/generated/${path} is stale: run npm run contracts:generate and commit the result`);
    }
  }
}

export async function buildPackage(): Promise<string> {
  await assertGeneratedFresh();
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const swcOut = join(stage, '.swc');
  execFileSync(
    bin('swc'),
    ['libs/contracts/src', '--config-file', '.swcrc', '--out-dir', swcOut, '--ignore', '**/*.spec.ts,**/*.tmp.ts,**/*.d.ts', '--source-maps', 'false', '--quiet'],
    { cwd: root, stdio: 'inherit' },
  );
  renameSync(join(swcOut, 'libs/contracts/src'), join(stage, 'lib'));
  rmSync(swcOut, { recursive: true, force: true });
  // The generated validators go in as generated (swc would only reformat them).
  copyFileSync(join(generatedDir, 'validators.js'), join(stage, 'lib/generated/validators.js'));
  execFileSync(bin('tsc'), ['-p', join(lib, 'tsconfig.build.json'), '--outDir', join(stage, 'lib')], { cwd: root, stdio: 'inherit' });
  copyFileSync(join(generatedDir, 'validators.d.ts'), join(stage, 'lib/generated/validators.d.ts'));
  chmodSync(join(stage, 'lib/cli/bin.js'), 0o755);
  cpSync(join(root, 'contracts'), join(stage, 'contracts'), { recursive: true });
  copyFileSync(join(lib, 'package.json'), join(stage, 'package.json'));
  copyFileSync(join(lib, 'README.md'), join(stage, 'README.md'));
  return stage;
}

/** npm pack of the staged package; returns the tarball's absolute path. */
export function packStaged(dryRun = false): string {
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir, ...(dryRun ? ['--dry-run'] : [])], {
    cwd: stage,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [info] = JSON.parse(output) as Array<{ filename: string; files: Array<{ path: string; size: number }>; size: number; unpackedSize: number }>;
  for (const file of info.files.sort((a, b) => a.path.localeCompare(b.path))) console.log(`${String(file.size).padStart(8)}  ${file.path}`);
  console.log(`${info.files.length} files, ${info.size} bytes packed, ${info.unpackedSize} unpacked`);
  return resolve(outDir, info.filename);
}

if (require.main === module) {
  const dryRun = process.argv.includes('--dry-run');
  buildPackage().then(
    () => {
      const tarball = packStaged(dryRun);
      console.log(dryRun ? `contracts:pack (dry run): would write ${tarball}` : `contracts:pack: wrote ${tarball}`);
    },
    (error: unknown) => {
      console.error(`contracts:pack: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
