/**
 * Cross-field rules of a model's configuration. They run on whatever parsed (or
 * partly parsed) value the schema produced, so they read every field defensively and
 * skip values whose own type is wrong: those are reported by the schema already.
 */
import { durationSecondsOrProblem, MAX_WINDOW_SECONDS } from '../duration';
import { schedulePeriodSeconds } from '../periods';
import { containerIssues } from './container-checks';
import { scheduleProblem } from './schedule';
import {
  DRIFT_DEFAULT_THRESHOLD,
  DRIFT_METHOD_SCORE,
  DRIFT_METHODS_BY_FEATURE_TYPE,
  METRICS_BY_PROBLEM_TYPE,
  PROBLEM_TYPES,
  isMetricName,
  metricAppliesTo,
  type DriftMethod,
  type ProblemType,
} from '../evaluation-names';

import type { CheckIssue } from './check-issue';

export type { CheckIssue };

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}
function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
function isProblemType(value: unknown): value is ProblemType {
  return typeof value === 'string' && (PROBLEM_TYPES as readonly string[]).includes(value);
}
function isDriftMethod(value: unknown): value is DriftMethod {
  return typeof value === 'string' && value in DRIFT_METHOD_SCORE;
}

/** Checks one model: every rule below, in field order. */
export function modelIssues(model: unknown): CheckIssue[] {
  const m = obj(model);
  if (!m) return [];
  return [
    ...classesIssues(m),
    ...featureIssues(m),
    ...datasetIssues(m),
    ...trainingIssues(obj(m.training)),
    ...containerIssues(m),
    ...triggerIssues(m),
    ...monitorIssues(m),
    ...validationIssues(obj(m.validation)),
    ...gateIssues(m),
    ...canaryIssues(obj(m.canary)),
  ];
}

/** `classes` only for multiclass (>= 3), or 2 for binary. */
function classesIssues(m: Obj): CheckIssue[] {
  const classes = num(m.classes);
  if (classes === undefined) return [];
  const path = ['classes'];
  if (m.problemType === 'multiclass' && classes < 3) {
    return [{ path, message: `a multiclass model needs at least 3 classes, got ${classes} (with 2 classes use problemType "binary")` }];
  }
  if (m.problemType === 'binary' && classes !== 2) {
    return [{ path, message: `a binary model has 2 classes, got ${classes} (use problemType "multiclass")` }];
  }
  if (m.problemType === 'regression') return [{ path, message: 'classes applies only to classification models, not to regression' }];
  return [];
}

/**
 * A data set needs the features: their order and types are the training schema the
 * capture is read into and the columns the training set keeps (without them the set would
 * hold the label alone). Its CSV keeps a header: validation, the profile and the built-in
 * containers' label-first channel read the assembled set by its header.
 */
function datasetIssues(m: Obj): CheckIssue[] {
  const dataset = obj(obj(m.data)?.dataset);
  if (!dataset) return [];
  const issues: CheckIssue[] = [];
  if (arr(m.features).length === 0) {
    issues.push({ path: ['data', 'dataset'], message: 'the data set is assembled in the training schema: list the model\'s features (names and types, in the order the model takes them)' });
  }
  if (obj(dataset.output)?.header === false) {
    issues.push({ path: ['data', 'dataset', 'output', 'header'], message: 'expected a header (true): the assembled set is read back by its header; for SageMaker\'s built-in containers pitstop writes the header-less, label-first channel itself' });
  }
  return issues;
}

/** Feature names unique and not the label; drift methods that suit the feature type. */
function featureIssues(m: Obj): CheckIssue[] {
  const issues: CheckIssue[] = [];
  const seen = new Map<string, number>();
  const globalDrift = obj(obj(m.triggers)?.drift);
  arr(m.features).forEach((raw, i) => {
    const f = obj(raw);
    const name = str(f?.name);
    if (!f || name === undefined) return;
    const first = seen.get(name);
    if (first !== undefined) issues.push({ path: ['features', i, 'name'], message: `duplicate feature name ${JSON.stringify(name)} (also features[${first}])` });
    else seen.set(name, i);
    if (name === m.label) issues.push({ path: ['features', i, 'name'], message: `the label ${JSON.stringify(name)} must not be listed as a feature` });
    const type = f.type === 'numeric' || f.type === 'categorical' ? f.type : undefined;
    const drift = obj(f.drift);
    const own = isDriftMethod(drift?.method) ? drift.method : undefined;
    const method = own ?? (drift?.method === undefined && isDriftMethod(globalDrift?.method) ? globalDrift.method : undefined);
    if (type && method && !(DRIFT_METHODS_BY_FEATURE_TYPE[type] as readonly string[]).includes(method)) {
      const allowed = DRIFT_METHODS_BY_FEATURE_TYPE[type].join(', ');
      issues.push(
        own
          ? { path: ['features', i, 'drift', 'method'], message: `drift method "${method}" does not apply to a ${type} feature (use one of ${allowed})` }
          : { path: ['features', i], message: `drift method "${method}" from triggers.drift.method does not apply to a ${type} feature; set features[${i}].drift.method to one of ${allowed}` },
      );
    }
    const threshold = num(drift?.threshold);
    if (own && threshold !== undefined) issues.push(...pValueIssue(own, threshold, ['features', i, 'drift', 'threshold']));
  });
  return issues;
}

function pValueIssue(method: DriftMethod, threshold: number, path: (string | number)[]): CheckIssue[] {
  if (DRIFT_METHOD_SCORE[method] === 'pValue' && threshold >= 1) {
    return [{ path, message: `the ${method} threshold is a p-value and must be below 1 (e.g. ${DRIFT_DEFAULT_THRESHOLD[method]}), got ${threshold}` }];
  }
  return [];
}

/** Spot wait time, tuning ranges and job counts. */
function trainingIssues(t: Obj | undefined): CheckIssue[] {
  if (!t) return [];
  const issues: CheckIssue[] = [];
  const runtime = num(t.maxRuntimeSeconds) ?? 86_400;
  const wait = num(t.maxWaitSeconds);
  if (t.managedSpot === true && wait !== undefined && wait < runtime) {
    issues.push({ path: ['training', 'maxWaitSeconds'], message: `with managedSpot, maxWaitSeconds must be >= maxRuntimeSeconds (${runtime}), got ${wait}` });
  }
  const tuning = obj(t.tuning);
  if (!tuning) return issues;
  const maxJobs = num(tuning.maxJobs);
  const parallel = num(tuning.maxParallelJobs);
  if (maxJobs !== undefined && parallel !== undefined && parallel > maxJobs) {
    issues.push({ path: ['training', 'tuning', 'maxParallelJobs'], message: `must be <= maxJobs (${maxJobs}), got ${parallel}` });
  }
  const ranges = obj(tuning.ranges);
  if (ranges) {
    const statics = obj(t.hyperparameters) ?? {};
    const names = new Map<string, string>();
    let count = 0;
    for (const kind of ['continuous', 'integer', 'categorical'] as const) {
      arr(ranges[kind]).forEach((raw, i) => {
        count++;
        const r = obj(raw);
        const path = ['training', 'tuning', 'ranges', kind, i];
        const name = str(r?.name);
        if (!r || name === undefined) return;
        const where = `ranges.${kind}[${i}]`;
        if (names.has(name)) issues.push({ path: [...path, 'name'], message: `hyperparameter ${JSON.stringify(name)} is tuned twice (also ${names.get(name)})` });
        else names.set(name, where);
        if (Object.hasOwn(statics, name)) {
          issues.push({ path: [...path, 'name'], message: `hyperparameter ${JSON.stringify(name)} is both tuned and set in training.hyperparameters` });
        }
        const min = num(r.min);
        const max = num(r.max);
        if (kind !== 'categorical' && min !== undefined && max !== undefined) {
          if (min >= max) issues.push({ path: [...path, 'max'], message: `must be greater than min (${min}), got ${max}` });
          if (r.scaling === 'Logarithmic' && min <= 0) issues.push({ path: [...path, 'min'], message: `logarithmic scaling needs min > 0, got ${min}` });
          if (r.scaling === 'ReverseLogarithmic' && (min < 0 || max >= 1)) {
            issues.push({ path, message: `reverse logarithmic scaling needs 0 <= min < max < 1, got ${min}..${max}` });
          }
        }
      });
    }
    if (count === 0) issues.push({ path: ['training', 'tuning', 'ranges'], message: 'tuning needs at least one hyperparameter range' });
  }
  return issues;
}

function periodsIssue(o: Obj | undefined, path: string[]): CheckIssue[] {
  const dp = num(o?.datapointsToAlarm);
  const ep = num(o?.evaluationPeriods);
  if (dp !== undefined && ep !== undefined && dp > ep) {
    return [{ path: [...path, 'datapointsToAlarm'], message: `must be <= evaluationPeriods (${ep}), got ${dp}` }];
  }
  return [];
}

/** Alarm periods, p-value thresholds, quality metric fits the problem type. */
function triggerIssues(m: Obj): CheckIssue[] {
  const triggers = obj(m.triggers);
  if (!triggers) return [];
  const drift = obj(triggers.drift);
  const quality = obj(triggers.quality);
  const issues = [...periodsIssue(drift, ['triggers', 'drift']), ...periodsIssue(quality, ['triggers', 'quality'])];
  const threshold = num(drift?.threshold);
  if (isDriftMethod(drift?.method) && threshold !== undefined) issues.push(...pValueIssue(drift.method, threshold, ['triggers', 'drift', 'threshold']));
  issues.push(...metricIssue(m, quality?.metric, ['triggers', 'quality', 'metric']));
  const estimated = obj(triggers.estimatedQuality);
  const predictionDrift = obj(triggers.predictionDrift);
  issues.push(...periodsIssue(estimated, ['triggers', 'estimatedQuality']), ...periodsIssue(predictionDrift, ['triggers', 'predictionDrift']));
  if (estimated && m.problemType !== 'binary') {
    issues.push({ path: ['triggers', 'estimatedQuality'], message: `quality is estimated without labels for binary classification only, not ${String(m.problemType)}` });
  }
  if (predictionDrift && m.problemType === 'multiclass') {
    issues.push({ path: ['triggers', 'predictionDrift'], message: 'prediction drift is measured on one output column: binary classification and regression only' });
  }
  const pdThreshold = num(predictionDrift?.threshold);
  if (isDriftMethod(predictionDrift?.method) && pdThreshold !== undefined) issues.push(...pValueIssue(predictionDrift.method, pdThreshold, ['triggers', 'predictionDrift', 'threshold']));
  return issues;
}

/** The monitor window: at most 24 hours, given or taken from the schedule's period. */
function monitorIssues(m: Obj): CheckIssue[] {
  const monitor = obj(m.monitor);
  const monitorSchedule = obj(m.triggers)?.monitorSchedule;
  if (typeof monitorSchedule === 'string' && !scheduleProblem(monitorSchedule)) {
    const uneven = unevenCron(monitorSchedule);
    if (uneven) return [{ path: ['triggers', 'monitorSchedule'], message: uneven, input: monitorSchedule }];
  }
  const given = typeof monitor?.window === 'string' ? durationSecondsOrProblem(monitor.window) : undefined;
  if (given && 'seconds' in given) {
    if (given.seconds <= 0 || given.seconds > MAX_WINDOW_SECONDS) {
      return [{ path: ['monitor', 'window'], message: `expected a window longer than 0 and at most PT24H, got ${monitor!.window as string}`, input: monitor!.window }];
    }
    return [];
  }
  if (given) return [];
  const schedule = obj(m.triggers)?.monitorSchedule;
  if (typeof schedule !== 'string' || scheduleProblem(schedule)) return [];
  const period = schedulePeriodSeconds(schedule);
  if (period > MAX_WINDOW_SECONDS) {
    return [
      {
        path: ['monitor', 'window'],
        message: `the monitor schedule ${schedule} runs every ${period / 3600} hours but a window is at most PT24H: set monitor.window (windows then leave gaps) or run the monitor at least daily`,
      },
    ];
  }
  return [];
}

/**
 * Why a monitor cron schedule cannot tile windows, or undefined. Windows end at the run's
 * time floored to the schedule's period: the runs must be one period apart, so one
 * minute of the hour, and every hour, every N hours from 0, or once a day.
 */
function unevenCron(expression: string): string | undefined {
  const cron = /^cron\((.*)\)$/.exec(expression.trim());
  if (!cron) return undefined;
  const [minutes = '', hours = ''] = cron[1]!.trim().split(/\s+/);
  const evenly = 'runs at uneven times, so two runs could cover the same window; use rate(N hours) or a cron with one minute and hours "*", "0/N" or a single hour';
  if (!/^\d+$/.test(minutes)) return `the monitor schedule ${expression} ${evenly}`;
  if (hours !== '*' && !/^\d+$/.test(hours) && !/^(?:\*|0)\/\d+$/.test(hours)) return `the monitor schedule ${expression} ${evenly}`;
  const step = /\/(\d+)$/.exec(hours);
  if (step && 24 % Number(step[1]) !== 0) return `the monitor schedule ${expression} ${evenly} (24 is not a multiple of ${step[1]})`;
  return undefined;
}

/** A metric name used by a rule must apply to the model's problem type. */
function metricIssue(m: Obj, metric: unknown, path: (string | number)[]): CheckIssue[] {
  if (!isMetricName(metric) || !isProblemType(m.problemType)) return [];
  if (metricAppliesTo(metric, m.problemType)) return [];
  const allowed = METRICS_BY_PROBLEM_TYPE[m.problemType].join(', ');
  return [{ path, message: `metric "${metric}" does not apply to a ${m.problemType} model (use one of ${allowed})`, input: metric }];
}

/** Each warning level at most its critical level. */
function validationIssues(v: Obj | undefined): CheckIssue[] {
  if (!v) return [];
  const issues: CheckIssue[] = [];
  for (const key of Object.keys(v)) {
    if (!key.endsWith('Warning')) continue;
    const criticalKey = `${key.slice(0, -'Warning'.length)}Critical`;
    const warning = num(v[key]);
    const critical = num(v[criticalKey]);
    if (warning !== undefined && critical !== undefined && warning > critical) {
      issues.push({ path: ['validation', key], message: `must be <= ${criticalKey} (${critical}), got ${warning}` });
    }
  }
  return issues;
}

/** Gate metrics fit the problem type; absolute rules have a bound and min <= max. */
function gateIssues(m: Obj): CheckIssue[] {
  const gate = obj(m.gate);
  if (!gate) return [];
  const issues: CheckIssue[] = [];
  arr(gate.absolute).forEach((raw, i) => {
    const rule = obj(raw);
    if (!rule) return;
    const path = ['gate', 'absolute', i];
    issues.push(...metricIssue(m, rule.metric, [...path, 'metric']));
    if (rule.min === undefined && rule.max === undefined) issues.push({ path, message: 'an absolute rule needs min, max or both' });
    const min = num(rule.min);
    const max = num(rule.max);
    if (min !== undefined && max !== undefined && min > max) issues.push({ path: [...path, 'max'], message: `must be >= min (${min}), got ${max}` });
  });
  arr(gate.relative).forEach((raw, i) => issues.push(...metricIssue(m, obj(raw)?.metric, ['gate', 'relative', i, 'metric'])));
  issues.push(...metricIssue(m, obj(gate.primary)?.metric, ['gate', 'primary', 'metric']));
  return issues;
}

/** Stage percents strictly increasing and ending at 100; p95 limit at most the p99 limit. */
function canaryIssues(c: Obj | undefined): CheckIssue[] {
  if (!c) return [];
  const issues: CheckIssue[] = [];
  const stages = arr(c.stages);
  let previous: { percent: number; index: number } | undefined;
  stages.forEach((raw, i) => {
    const percent = num(obj(raw)?.percent);
    if (percent === undefined || percent < 1 || percent > 100) return;
    if (previous && percent <= previous.percent) {
      issues.push({
        path: ['canary', 'stages', i, 'percent'],
        message: `stage percents must increase strictly, got ${percent} after ${previous.percent} (stages[${previous.index}])`,
      });
    }
    previous = { percent, index: i };
  });
  const last = stages.length ? num(obj(stages.at(-1))?.percent) : undefined;
  if (last !== undefined && last >= 1 && last < 100) {
    issues.push({ path: ['canary', 'stages', stages.length - 1, 'percent'], message: `the last stage must send 100 percent of traffic to the candidate, got ${last}` });
  }
  const p95 = num(c.maxLatencyP95Ms);
  const p99 = num(c.maxLatencyP99Ms);
  if (p95 !== undefined && p99 !== undefined && p95 > p99) {
    issues.push({ path: ['canary', 'maxLatencyP95Ms'], message: `must be <= maxLatencyP99Ms (${p99}), got ${p95}` });
  }
  return issues;
}
