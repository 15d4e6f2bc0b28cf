/**
 * Where the code of pitstop's Lambdas comes from. Run from the sources (this repository,
 * tests, `npm run synth`), each handler is a TypeScript entry that NodejsFunction bundles
 * with esbuild at synth. Run from the built package (`dist/`, what `npm install` gives a
 * user), the handlers were bundled when the package was built (scripts/build.ts) into
 * `dist/lambda-bundles/<dir>/index.js`, and the functions deploy those folders as they
 * are: a user's synth needs neither TypeScript nor esbuild.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the pre-bundled handlers, beside `infra/` in the built package. */
export const LAMBDA_BUNDLES_DIR_NAME = 'lambda-bundles';

/** The folder holding `index.js` of handler folder `dir` under `bundlesDir`, when it was pre-bundled. */
export function prebundledHandler(dir: string, bundlesDir: string = fileURLToPath(new URL(`../${LAMBDA_BUNDLES_DIR_NAME}/`, import.meta.url))): string | undefined {
  const folder = join(bundlesDir, dir);
  return existsSync(join(folder, 'index.js')) ? folder : undefined;
}
