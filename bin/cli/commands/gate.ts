import { evaluateGate, formatGateResult, type GateRules } from '../../../lambdas/core/gate';
import { evaluate, readEvaluationColumns } from '../../../lambdas/core/metrics';
import { PROBLEM_TYPES, type ProblemType } from '../../../vocabulary/evaluation-names';
import { awsSettings } from '../aws';
import { ExitCode, type Command } from '../command';
import { openData } from '../data';
import { loadModel } from '../model';
import { optChoice, optFormat, optString, reqList, UsageError } from '../options';
import { checkScoreCount } from './evaluate';

/** Without a config, the candidate must be no worse than production on the problem's primary metric. */
export const DEFAULT_PRIMARY_METRIC: Record<ProblemType, string> = {
  binary: 'rocAuc',
  multiclass: 'f1Macro',
  regression: 'rmse',
};

export const gateCommand: Command = {
  name: 'gate',
  usage: 'gate <data> --problem P --label COL --candidate COL[,...] --production COL[,...] [--config FILE --model NAME] [--format F]',
  help: [
    ['--problem P', 'binary | multiclass | regression (default: the config\'s)'],
    ['--label COL', 'the true label (default: the config\'s)'],
    ['--candidate COLS', 'the candidate\'s score column(s), as for `evaluate --score`'],
    ['--production COLS', 'the production model\'s score column(s); omit for a first model (absolute rules only)'],
    ['--config FILE', 'take the gate rules from a config file (default rule: no worse on the primary metric)'],
    ['--model NAME', 'the model in --config'],
    ['--format F', 'csv | jsonl | capture | parquet (default: from the extension)'],
  ],
  examples: [
    'pitstop gate holdout-scored.csv --problem binary --label churned --candidate p_candidate --production p_production',
    'pitstop gate holdout-scored.csv --candidate p_candidate --production p_production --config examples/pitstop.config.json --model churn --json',
  ],
  options: {
    problem: { type: 'string' },
    label: { type: 'string' },
    candidate: { type: 'string' },
    production: { type: 'string' },
    config: { type: 'string' },
    model: { type: 'string' },
    format: { type: 'string' },
  },
  positionals: { min: 1, max: 1, names: ['data'] },
  aws: true,
  async run(values, [source], ctx) {
    const model = await loadModel(values);
    const problem = optChoice(values, 'problem', PROBLEM_TYPES) ?? model?.problemType;
    if (!problem) throw new UsageError('--problem is required (or --config with --model)');
    const label = optString(values, 'label') ?? model?.label;
    if (!label) throw new UsageError('--label is required (or --config with --model)');
    const candidateCols = reqList(values, 'candidate');
    checkScoreCount(problem, candidateCols, 'candidate');
    const productionCols = values.production === undefined ? undefined : reqList(values, 'production');
    if (productionCols) checkScoreCount(problem, productionCols, 'production');

    const rules: GateRules = model?.gate ?? { absolute: [], relative: [], primary: { metric: DEFAULT_PRIMARY_METRIC[problem], minImprovement: 0 } };
    ctx.progress(`evaluating candidate${productionCols ? ' and production' : ''} on ${source} ...`);
    const table = await openData(source!, { format: optFormat(values), progress: ctx.readProgress, aws: awsSettings(values) });
    const classes = problem === 'multiclass' ? candidateCols.length : undefined;
    const cols = await readEvaluationColumns(table, label, [...candidateCols, ...(productionCols ?? [])], problem, { classes });
    const candidate = evaluate(problem, cols.label, cols.scores.slice(0, candidateCols.length));
    const production = productionCols ? evaluate(problem, cols.label, cols.scores.slice(candidateCols.length)) : undefined;
    const result = evaluateGate(rules, candidate, production);
    return {
      exitCode: result.passed ? ExitCode.Ok : ExitCode.CheckFailed,
      json: { ...result, candidate, production },
      text: formatGateResult(result),
    };
  },
};
