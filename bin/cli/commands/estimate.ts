import { CALIBRATE_MODES, CBPE_METRICS, estimatePerformance } from '../../../lambdas/core/estimate';
import { readEvaluationColumns, readProbabilityColumn } from '../../../lambdas/core/metrics';
import { awsSettings } from '../aws';
import { ExitCode, type Command } from '../command';
import { openData } from '../data';
import { optChoice, optFormat, optNumber, reqString } from '../options';
import { fmt, formatTable } from '../table';

export const estimateCommand: Command = {
  name: 'estimate',
  usage: 'estimate --reference <labeled data> --current <data> --label COL --score COL [--threshold T] [--calibrate auto|always|never] [--max-ece X] [--format F]',
  help: [
    ['--reference SRC', 'labeled data scored by the model (path or s3:// URI): calibration and realized metrics'],
    ['--current SRC', 'the data to estimate, scored by the model, labels not needed'],
    ['--label COL', 'the 0/1 label column of the reference'],
    ['--score COL', 'the P(class 1) column, in both files'],
    ['--threshold T', 'hard label p >= T (default 0.5)'],
    ['--calibrate M', `${CALIBRATE_MODES.join(' | ')}: isotonic calibration on the reference; auto when its ECE exceeds --max-ece (default auto)`],
    ['--max-ece X', 'ECE (10 uniform bins) above which auto calibrates (default 0.05)'],
    ['--format F', 'format of both files: csv | jsonl | parquet (default: from the extension)'],
  ],
  examples: ['pitstop estimate --reference holdout-scored.csv --current this-week-scored.csv --label churned --score p'],
  options: {
    reference: { type: 'string' },
    current: { type: 'string' },
    label: { type: 'string' },
    score: { type: 'string' },
    threshold: { type: 'string' },
    calibrate: { type: 'string' },
    'max-ece': { type: 'string' },
    format: { type: 'string' },
  },
  positionals: { min: 0, max: 0, names: [] },
  aws: true,
  async run(values, _positionals, ctx) {
    const referenceSource = reqString(values, 'reference');
    const currentSource = reqString(values, 'current');
    const label = reqString(values, 'label');
    const score = reqString(values, 'score');
    const format = optFormat(values);
    const reference = await readEvaluationColumns(await openData(referenceSource, { format, aws: awsSettings(values) }), label, [score], 'binary');
    const current = await readProbabilityColumn(await openData(currentSource, { format, aws: awsSettings(values) }), score);
    ctx.progress(`estimating the performance on ${currentSource} from ${referenceSource} ...`);
    const result = estimatePerformance({
      referenceLabels: reference.label,
      referenceScores: reference.scores[0]!,
      currentScores: current,
      threshold: optNumber(values, 'threshold', { min: 0, max: 1 }),
      calibrate: optChoice(values, 'calibrate', CALIBRATE_MODES),
      maxEce: optNumber(values, 'max-ece', { min: 0 }),
    });
    const rows = CBPE_METRICS.map((m) => {
      const band = result.bands[m];
      return [m, fmt(result.estimated[m]) || 'null', band ? `${fmt(band[0])} .. ${fmt(band[1])}` : '-', fmt(result.realizedReference[m]) || 'null'];
    });
    const c = result.calibration;
    const text = [
      `estimated performance of ${result.rows} rows of ${currentSource} (no labels), from ${referenceSource}`,
      `calibration: ${c.applied ? 'isotonic, fitted on the reference' : 'none'} (reference ECE ${fmt(c.eceBefore)}${c.applied ? ` -> ${fmt(c.eceAfter)}` : ''})`,
      '',
      formatTable(['metric', 'estimated', '95 % band', 'realized on reference'], rows),
      ...(result.notes.length ? ['', ...result.notes.map((n) => `note: ${n}`)] : []),
    ].join('\n');
    return { exitCode: ExitCode.Ok, json: result, text: `${text}\n` };
  },
};
