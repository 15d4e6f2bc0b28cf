import { formatValidationReport, validateData } from '../../../lambdas/core/validation';
import { awsSettings } from '../aws';
import { ExitCode, type Command } from '../command';
import { CAPTURE_HELP, CAPTURE_OPTIONS, optCapture } from '../capture-options';
import { openData, readProfile } from '../data';
import { loadModel } from '../model';
import { optFormat, optString } from '../options';

export const validateCommand: Command = {
  name: 'validate',
  usage: 'validate <data> [--baseline FILE] [--label COL] [--config FILE --model NAME] [--format F] [capture flags]',
  help: [
    ['--baseline FILE', 'a profile from `pitstop profile`: enables schema, range, category and label-shift checks'],
    ['--label COL', 'the label column (default: the baseline\'s or the config\'s)'],
    ['--timestamp COL', 'column whose latest value measures freshness (default inferenceTime when present)'],
    ['--config FILE', 'take thresholds from a config file (defaults otherwise)'],
    ['--model NAME', 'the model in --config'],
    ['--format F', 'csv | jsonl | capture | parquet (default: from the extension)'],
    ...CAPTURE_HELP,
  ],
  examples: [
    'pitstop validate data/train.csv --baseline baseline.json',
    'pitstop validate data/train.csv --config examples/pitstop.config.json --model churn --json',
  ],
  options: {
    baseline: { type: 'string' },
    label: { type: 'string' },
    timestamp: { type: 'string' },
    config: { type: 'string' },
    model: { type: 'string' },
    format: { type: 'string' },
    ...CAPTURE_OPTIONS,
  },
  positionals: { min: 1, max: 1, names: ['data'] },
  aws: true,
  async run(values, [source], ctx) {
    const model = await loadModel(values);
    const baselineFile = optString(values, 'baseline');
    const baseline = baselineFile ? await readProfile(baselineFile) : undefined;
    const table = await openData(source!, { format: optFormat(values), captureFeatureNames: baseline?.features.map((f) => f.name), capture: optCapture(values, model), progress: ctx.readProgress, aws: awsSettings(values) });
    const timestampColumn = optString(values, 'timestamp') ?? (table.columns.includes('inferenceTime') ? 'inferenceTime' : undefined);
    ctx.progress(`validating ${source} ...`);
    const result = await validateData(table, {
      baseline,
      thresholds: model?.validation,
      label: optString(values, 'label') ?? baseline?.label?.name ?? model?.label,
      expectedColumns: model?.features?.map((f) => f.name),
      timestampColumn,
    });
    return {
      exitCode: result.status === 'critical' ? ExitCode.CheckFailed : ExitCode.Ok,
      json: result,
      text: formatValidationReport(result),
    };
  },
};
