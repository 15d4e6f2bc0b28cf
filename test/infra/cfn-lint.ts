/**
 * Runs cfn-lint on a synthesized template. cfn-lint is required in CI; when it is
 * missing the check fails with a message saying how to install it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One finding of cfn-lint (its JSON output). */
export interface CfnLintFinding {
  readonly Rule: { readonly Id: string; readonly ShortDescription?: string };
  readonly Level: string;
  readonly Message: string;
  readonly Location?: { readonly Path?: readonly (string | number)[] };
}

/** The path of the cfn-lint binary, or undefined when it is not on the PATH. */
export function cfnLintPath(): string | undefined {
  try {
    const out = execFileSync('which', ['cfn-lint'], { encoding: 'utf8' }).trim();
    return out === '' ? undefined : out;
  } catch {
    return undefined;
  }
}

/**
 * Lints a template and splits the findings into errors (E-codes) and the rest.
 * Warnings and informational findings are printed to stderr.
 *
 * @throws Error when cfn-lint is not installed or cannot be run
 */
export function cfnLint(template: unknown, name = 'template'): { errors: CfnLintFinding[]; others: CfnLintFinding[] } {
  const binary = cfnLintPath();
  if (!binary) {
    throw new Error('cfn-lint is not installed: it is required to check the templates (pip install cfn-lint)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'pitstop-cfn-lint-'));
  try {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(template, null, 2));
    const result = spawnSync(binary, ['--format', 'json', '--', file], { encoding: 'utf8' });
    if (result.error) throw new Error(`cfn-lint could not run: ${result.error.message}`);
    let findings: CfnLintFinding[];
    try {
      findings = JSON.parse(result.stdout || '[]') as CfnLintFinding[];
    } catch {
      throw new Error(`cfn-lint printed no JSON (exit ${result.status}): ${result.stderr || result.stdout}`);
    }
    const errors = findings.filter((f) => f.Rule.Id.startsWith('E'));
    const others = findings.filter((f) => !f.Rule.Id.startsWith('E'));
    for (const f of others) {
      process.stderr.write(`cfn-lint ${f.Rule.Id} (${name}): ${f.Message} at ${(f.Location?.Path ?? []).join('/')}\n`);
    }
    return { errors, others };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per finding, for assertion messages. */
export function describeFindings(findings: readonly CfnLintFinding[]): string {
  return findings.map((f) => `${f.Rule.Id}: ${f.Message} at ${(f.Location?.Path ?? []).join('/')}`).join('\n');
}
