import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { copySourceDirs, resolveExampleConfig } from '../../../../bin/cli/commands/example-data';
import { UsageError } from '../../../../bin/cli/options';

const dir = mkdtempSync(join(tmpdir(), 'pitstop-example-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A stand-in for the installed package: examples/ with a config and a script folder.
const pkg = join(dir, 'node_modules', 'pitstop');
mkdirSync(join(pkg, 'examples', 'sklearn-demo'), { recursive: true });
writeFileSync(join(pkg, 'examples', 'only-in-package.json'), '{"version":1,"models":[]}');
writeFileSync(join(pkg, 'examples', 'sklearn-demo', 'train.py'), 'print("train")\n');
const root = pathToFileURL(`${pkg}/`);

describe('Function: resolveExampleConfig', () => {
  it('takes a path that exists as it is, else the same path under the package, else refuses naming the file', () => {
    // Prepare
    const local = join(dir, 'mine.json');
    writeFileSync(local, '{}');
    // Act
    const own = resolveExampleConfig(local, root);
    const packaged = resolveExampleConfig('examples/only-in-package.json', root);
    // Assess
    expect(own).toEqual({ path: local, fromPackage: undefined });
    expect(packaged).toEqual({ path: join(pkg, 'examples', 'only-in-package.json'), fromPackage: pkg });
    expect(() => resolveExampleConfig('examples/nowhere.json', root)).toThrow(UsageError);
    expect(() => resolveExampleConfig('examples/nowhere.json', root)).toThrow(/examples\/nowhere\.json does not exist/);
  });
});

describe('Function: copySourceDirs', () => {
  it('copies a package-relative sourceDir beside the written config and points the config at the copy; leaves s3:// alone', () => {
    // Prepare
    const out = join(dir, 'app', 'pitstop.json');
    mkdirSync(join(dir, 'app'));
    const models = [{ training: { sourceDir: 'examples/sklearn-demo' } }, { training: { sourceDir: 's3://b/src.tar.gz' } }, {}];
    // Act
    const copied = copySourceDirs(models, pkg, out);
    // Assess
    expect(copied).toEqual([join(dir, 'app', 'sklearn-demo')]);
    expect(readFileSync(join(dir, 'app', 'sklearn-demo', 'train.py'), 'utf8')).toBe('print("train")\n');
    expect(models[0]!.training!.sourceDir).toBe(relative(process.cwd(), join(dir, 'app', 'sklearn-demo')));
    expect(models[1]!.training!.sourceDir).toBe('s3://b/src.tar.gz');
    expect(existsSync(join(dir, 'app', 'src.tar.gz'))).toBe(false);
  });
});
