import { evaluate, readEvaluationColumns } from '../../../lambdas/core/metrics';
import { PROBLEM_TYPES } from '../../../vocabulary/evaluation-names';
import { awsSettings } from '../aws';
import { ExitCode, type Command } from '../command';
import { CAPTURE_HELP, CAPTURE_OPTIONS, optCapture } from '../capture-options';
import { openData } from '../data';
import { optFormat, optChoice, reqList, reqString, UsageError } from '../options';
import { fmt, formatTable } from '../table';

export const evaluateCommand: Command = {
  name: 'evaluate',
  usage: 'evaluate <data> --problem binary|multiclass|regression --label COL --score COL[,COL...] [--format F] [capture flags]',
  help: [
    ['--problem P', 'binary | multiclass | regression'],
    ['--label COL', 'the true label (0/1; 0..K-1; or the target value)'],
    ['--score COLS', 'binary: the P(class 1) column; multiclass: one column per class, in class order; regression: the prediction'],
    ['--format F', 'csv | jsonl | capture | parquet (default: from the extension)'],
    ...CAPTURE_HELP,
  ],
  examples: ['pitstop evaluate holdout-scored.csv --problem binary --label churned --score p_candidate'],
  options: {
    problem: { type: 'string' },
    label: { type: 'string' },
    score: { type: 'string' },
    format: { type: 'string' },
    ...CAPTURE_OPTIONS,
  },
  positionals: { min: 1, max: 1, names: ['data'] },
  aws: true,
  async run(values, [source], ctx) {
    const problem = optChoice(values, 'problem', PROBLEM_TYPES);
    if (!problem) throw new UsageError('--problem is required');
    const label = reqString(values, 'label');
    const scores = reqList(values, 'score');
    checkScoreCount(problem, scores, 'score');
    const capture = optCapture(values);
    const table = await openData(source!, { format: optFormat(values), capture, progress: ctx.readProgress, aws: awsSettings(values) });
    ctx.progress(`evaluating ${source} ...`);
    const cols = await readEvaluationColumns(table, label, scores, problem, { classes: problem === 'multiclass' ? scores.length : undefined });
    const threshold = capture?.probabilityThreshold;
    const metrics = evaluate(problem, cols.label, cols.scores, threshold === undefined ? {} : { probabilityThreshold: threshold });
    const rows = Object.entries(metrics).map(([name, value]) => [name, fmt(value as number)]);
    return {
      exitCode: ExitCode.Ok,
      json: { metrics },
      text: [`${problem} metrics over ${cols.label.length} rows of ${source}`, formatTable(['metric', 'value'], rows)].join('\n'),
    };
  },
};

/** Binary and regression take one score column; multiclass at least three (two classes is binary). */
export function checkScoreCount(problem: string, cols: readonly string[], flag: string): void {
  if (problem === 'multiclass' && cols.length < 3) {
    throw new UsageError(`--${flag} needs one column per class for multiclass (at least 3), got ${cols.length}`);
  }
  if (problem !== 'multiclass' && cols.length !== 1) {
    throw new UsageError(`--${flag} takes one column for ${problem}, got ${cols.length}`);
  }
}
