import { writeFile } from 'node:fs/promises';
import { InputError } from '../../../vocabulary/errors';
import { buildProfile, type Profile } from '../../../lambdas/core/profile';
import { awsSettings } from '../aws';
import { ExitCode, type Command } from '../command';
import { CAPTURE_HELP, CAPTURE_OPTIONS, optCapture } from '../capture-options';
import { openData } from '../data';
import { optFormat, optNumber, optString, reqString } from '../options';
import { formatTable, fmt } from '../table';

function summarize(profile: Profile, out: string): string {
  const rows = profile.features.map((f) =>
    f.type === 'numeric'
      ? [f.name, f.type, String(f.count), String(f.missing), fmt(f.mean), fmt(f.std), fmt(f.min), fmt(f.max), String(f.binCounts.length)]
      : [f.name, f.type, String(f.count), String(f.missing), '', '', '', '', `${Object.keys(f.categoryCounts).length} cat.`],
  );
  return [
    `Profiled ${profile.rowCount} rows of ${profile.source}${profile.label ? ` (label ${profile.label.name})` : ''}.`,
    formatTable(['feature', 'type', 'count', 'missing', 'mean', 'std', 'min', 'max', 'bins'], rows),
    `Wrote ${out}`,
  ].join('\n');
}

export const profileCommand: Command = {
  name: 'profile',
  usage: 'profile <data> --out FILE [--label COL] [--bins N] [--budget N] [--format F] [capture flags]',
  help: [
    ['--out FILE', 'where to write the profile JSON (required)'],
    ['--label COL', 'the label column: profiled as the label, not as a feature'],
    ['--bins N', 'quantile bins per numeric feature (default 10)'],
    ['--budget N', 'values kept exactly per feature before a quantile sketch takes over (default 1000000)'],
    ['--format F', 'csv | jsonl | capture | parquet (default: from the extension)'],
    ...CAPTURE_HELP,
  ],
  examples: [
    'pitstop profile data/train.csv --label churned --out baseline.json',
    'pitstop profile capture/ --format capture --capture-preset probabilities --out live.json',
  ],
  options: {
    out: { type: 'string' },
    label: { type: 'string' },
    bins: { type: 'string' },
    budget: { type: 'string' },
    format: { type: 'string' },
    ...CAPTURE_OPTIONS,
  },
  positionals: { min: 1, max: 1, names: ['data'] },
  aws: true,
  async run(values, [source], ctx) {
    const out = reqString(values, 'out');
    const table = await openData(source!, { format: optFormat(values), capture: optCapture(values), progress: ctx.readProgress, aws: awsSettings(values) });
    const label = optString(values, 'label');
    if (label !== undefined && !table.columns.includes(label)) {
      throw new InputError(`label column "${label}" not found; columns are ${table.columns.join(', ')}`, { file: source });
    }
    ctx.progress(`profiling ${source} ...`);
    const profile = await buildProfile(table, {
      label,
      bins: optNumber(values, 'bins', { min: 2, max: 1000, integer: true }),
      budget: optNumber(values, 'budget', { min: 1, integer: true }),
    });
    await writeFile(out, JSON.stringify(profile, null, 2) + '\n');
    return { exitCode: ExitCode.Ok, json: { out, rowCount: profile.rowCount, features: profile.features.length }, text: summarize(profile, out) };
  },
};
