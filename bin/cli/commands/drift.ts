import { computeDrift, formatDriftReport } from '../../../lambdas/core/drift';
import { DRIFT_CORRECTIONS, DRIFT_METHODS } from '../../../vocabulary/evaluation-names';
import { awsSettings } from '../aws';
import { ExitCode, type Command } from '../command';
import { CAPTURE_HELP, CAPTURE_OPTIONS, optCapture } from '../capture-options';
import { openData, openReference } from '../data';
import { loadModel } from '../model';
import { optChoice, optFormat, optNumber, reqString } from '../options';

export const driftCommand: Command = {
  name: 'drift',
  usage: 'drift --reference <data|profile.json> --current <data> [--bins N] [--method M] [--threshold X] [--drifted-features N] [--correction C] [--min-effect X] [--config FILE --model NAME] [--format F] [capture flags]',
  help: [
    ['--reference SRC', 'reference data (path or s3:// URI) or a profile written by `pitstop profile`'],
    ['--current SRC', 'current data (path or s3:// URI)'],
    ['--bins N', 'quantile bins when the reference is data (default 10; a profile brings its own)'],
    ['--method M', `${DRIFT_METHODS.join(' | ')} (default psi, or the config's)`],
    ['--threshold X', 'score above which a feature drifts (p-value below, for chiSquare) (default: the method\'s)'],
    ['--drifted-features N', 'features that must drift for the dataset to drift (default 1)'],
    ['--correction C', `multiple-testing correction of the ks / chiSquare p-values: ${DRIFT_CORRECTIONS.join(' | ')} (default none, or the config's)`],
    ['--min-effect X', 'a ks / chiSquare feature drifts only when its KS distance / Cramér\'s V also reaches X (default: none, or the config\'s)'],
    ['--config FILE', 'take method, thresholds and per-feature overrides from a config file'],
    ['--model NAME', 'the model in --config'],
    ['--format F', 'format of the current data: csv | jsonl | capture | parquet'],
    ...CAPTURE_HELP,
  ],
  examples: [
    'pitstop drift --reference baseline.json --current data/this-week.csv',
    'pitstop drift --reference train.csv --current s3://bucket/capture/2026/11/ --format capture --json',
  ],
  options: {
    reference: { type: 'string' },
    current: { type: 'string' },
    bins: { type: 'string' },
    method: { type: 'string' },
    threshold: { type: 'string' },
    'drifted-features': { type: 'string' },
    correction: { type: 'string' },
    'min-effect': { type: 'string' },
    config: { type: 'string' },
    model: { type: 'string' },
    format: { type: 'string' },
    ...CAPTURE_OPTIONS,
  },
  positionals: { min: 0, max: 0, names: [] },
  aws: true,
  async run(values, _positionals, ctx) {
    const model = await loadModel(values);
    const referenceSource = reqString(values, 'reference');
    const currentSource = reqString(values, 'current');
    const reference = await openReference(referenceSource, { progress: ctx.readProgress, aws: awsSettings(values) });
    const featureNames = 'features' in reference && !('batches' in reference) ? reference.features.map((f) => f.name) : undefined;
    const current = await openData(currentSource, { format: optFormat(values), captureFeatureNames: featureNames ?? model?.features?.map((f) => f.name), capture: optCapture(values, model), progress: ctx.readProgress, aws: awsSettings(values) });
    ctx.progress(`computing drift of ${currentSource} against ${referenceSource} ...`);
    const result = await computeDrift({
      reference,
      current,
      bins: optNumber(values, 'bins', { min: 2, max: 1000, integer: true }),
      method: optChoice(values, 'method', DRIFT_METHODS) ?? model?.triggers.drift.method,
      threshold: optNumber(values, 'threshold', { min: 0 }) ?? model?.triggers.drift.threshold,
      driftedFeatures: optNumber(values, 'drifted-features', { min: 1, integer: true }) ?? model?.triggers.drift.driftedFeatures,
      correction: optChoice(values, 'correction', DRIFT_CORRECTIONS) ?? model?.triggers.drift.correction,
      minEffect: optNumber(values, 'min-effect', { min: 0, max: 1 }) ?? model?.triggers.drift.minEffect,
      featureOverrides: model?.features?.flatMap((f) => (f.drift ? [{ name: f.name, ...f.drift }] : [])),
      label: model?.label,
    });
    return {
      exitCode: result.drifted ? ExitCode.CheckFailed : ExitCode.Ok,
      json: result,
      text: formatDriftReport(result),
    };
  },
};
