import { beforeEach, describe, expect, it } from 'vitest';
import { EvaluateOutput, QualityOutput } from '../../vocabulary/contracts';
import { InputError } from '../../vocabulary/errors';
import { handler as evaluate } from '../../lambdas/evaluate/handler';
import { handler as prepareHoldout } from '../../lambdas/prepare-holdout/handler';
import { handler as quality } from '../../lambdas/quality/handler';
import { BINARY_SETTINGS, RUN, captureLine, groundTruthLine, useHandlerFixture, useSettings } from './helpers';

// The quality handler reads the model's `capture` settings; the evaluate handler ignores them.
const s3 = useHandlerFixture(BINARY_SETTINGS);

const QUALITY_EVENT = {
  ...RUN,
  captureUri: 's3://data/capture/',
  groundTruthUri: 's3://data/gt/',
  problemType: 'binary',
  label: 'label',
} as const;

describe('Function: quality handler', () => {
  it('joins capture and ground truth by eventId and computes accuracy on the matched rows', async () => {
    // Prepare: 5 captured events; ground truth for a, b, c, d and an uncaptured z.
    // Hard predictions (p >= 0.5): a 1, b 0, c 1, d 1, e 0. Labels: a 1, b 0, c 0, d 1.
    // Matched 4: a right, b right, c wrong, d right -> accuracy 3/4.
    s3().put({
      's3://data/capture/ep/AllTraffic/2026/01/01/00/1.jsonl': [
        captureLine('a', [1, 2], 0.9),
        captureLine('b', [1, 2], 0.2),
        captureLine('c', [1, 2], 0.7),
      ].join('\n'),
      's3://data/capture/ep/AllTraffic/2026/01/01/01/2.jsonl': [captureLine('d', [1, 2], 0.6), captureLine('e', [1, 2], 0.1)].join('\n'),
      's3://data/gt/2026/01/01/00/labels.jsonl': [
        groundTruthLine('a', '1'),
        groundTruthLine('b', '0'),
        groundTruthLine('c', '0'),
        groundTruthLine('d', '1'),
        groundTruthLine('z', '1'),
      ].join('\n'),
    });
    // Act
    const out = await quality(QUALITY_EVENT);
    // Assess
    expect(QualityOutput.safeParse(out).success).toBe(true);
    expect(out.matched).toBe(4);
    expect(out.newLabeledSamples).toBe(4);
    const metric = (name: string) => out.metrics.find((m) => m.metric === name)?.value;
    expect(metric('accuracy')).toBeCloseTo(0.75, 12);
    // precision of class 1: predicted positive a, c, d; right a, d -> 2/3; recall: a, d of a, d -> 1
    expect(metric('precision')).toBeCloseTo(2 / 3, 12);
    expect(metric('recall')).toBeCloseTo(1, 12);
  });

  it('returns no metric when no ground truth has arrived', async () => {
    s3().put({ 's3://data/capture/ep/a.jsonl': captureLine('a', [1, 2], 0.9) });
    const out = await quality(QUALITY_EVENT);
    expect(QualityOutput.parse(out)).toEqual({ metrics: [], newLabeledSamples: 0, matched: 0 });
  });

  it('reads P(class 1) of a JSON capture at the capture attributes, and applies their probability threshold', async () => {
    // Prepare: a scikit-learn style endpoint answers {"probabilities": [[p0, p1]]}. The old
    // reader took p0 and inverted the metrics. P(class 1): a 0.8, b 0.3, c 0.6, d 0.4.
    // Labels a 1, b 0, c 1, d 0: ranking perfect (ROC AUC 1); with threshold 0.7 only a is
    // predicted positive -> accuracy 3/4, recall 1/2.
    const line = (id: string, p1: number) =>
      JSON.stringify({
        captureData: {
          endpointInput: { observedContentType: 'application/json', mode: 'INPUT', data: JSON.stringify({ instances: [[1, 2]] }), encoding: 'JSON' },
          endpointOutput: { observedContentType: 'application/json', mode: 'OUTPUT', data: JSON.stringify({ probabilities: [[1 - p1, p1]] }), encoding: 'JSON' },
        },
        eventMetadata: { eventId: id, inferenceTime: '2026-01-01T00:00:00Z' },
        eventVersion: '0',
      });
    s3().put({
      's3://data/capture/ep/1.jsonl': [line('a', 0.8), line('b', 0.3), line('c', 0.6), line('d', 0.4)].join('\n'),
      's3://data/gt/l.jsonl': ['a', 'b', 'c', 'd'].map((id, i) => groundTruthLine(id, String(1 - (i % 2)))).join('\n'),
    });
    // Without attributes the output is ambiguous: the handler stops, naming the attribute to set
    await expect(quality(QUALITY_EVENT)).rejects.toThrow(/s3:\/\/data\/capture\/ep\/1\.jsonl:1: endpointOutput is an object with field "probabilities"/);
    useSettings({ ...BINARY_SETTINGS, capture: { probability: 'probabilities[*][1]', probabilityThreshold: 0.7 } });
    // Act
    const out = await quality(QUALITY_EVENT);
    // Assess
    const metric = (name: string) => out.metrics.find((m) => m.metric === name)?.value;
    expect(out.matched).toBe(4);
    expect(metric('rocAuc')).toBeCloseTo(1, 12);
    expect(metric('accuracy')).toBeCloseTo(0.75, 12);
    expect(metric('recall')).toBeCloseTo(0.5, 12);
  });

  it('names the file and line of a bad ground-truth label', async () => {
    s3().put({
      's3://data/capture/ep/a.jsonl': captureLine('a', [1, 2], 0.9),
      's3://data/gt/l.jsonl': `${groundTruthLine('a', '1')}\n${groundTruthLine('b', 'yes')}\n`,
    });
    await expect(quality(QUALITY_EVENT)).rejects.toThrow('s3://data/gt/l.jsonl:2: label "yes" is not a number');
  });
});

// The labels file prepareHoldout writes: a header naming the label, one label per row.
const LABELS = 'label\n1\n0\n1\n0\n';
const EVALUATE_EVENT = {
  ...RUN,
  problemType: 'binary',
  label: 'label',
  labelsUri: 's3://art/transforms/r1/labels.csv',
  candidatePredictionsUri: 's3://art/transforms/r1/candidate/',
  productionPredictionsUri: 's3://art/transforms/r1/production/',
  gate: { absolute: [{ metric: 'accuracy', min: 0.7 }], relative: [], primary: { metric: 'accuracy', minImprovement: 0.1 } },
  metricsUri: 's3://art/models/r1/metrics.json',
} as const;

describe('Function: evaluate handler', () => {
  beforeEach(() => {
    // Candidate right on every row (accuracy 1); production wrong on rows 2 and 3 (accuracy 0.5).
    s3().put({
      's3://art/transforms/r1/labels.csv': LABELS,
      's3://art/transforms/r1/candidate/holdout.csv.out': '0.9\n0.1\n0.8\n0.3\n',
      's3://art/transforms/r1/production/holdout.csv.out': '0.9\n0.6\n0.2\n0.3\n',
    });
  });

  it('scores both models by line order, applies the gate and writes the metrics JSON', async () => {
    const out = await evaluate(EVALUATE_EVENT);
    expect(EvaluateOutput.safeParse(out).success).toBe(true);
    expect(out.candidate.accuracy).toBe(1);
    expect(out.production?.accuracy).toBe(0.5);
    expect(out.passed).toBe(true);
    expect(out.rules.map((r) => [r.kind, r.passed, r.threshold])).toEqual([
      ['absolute', true, 0.7],
      ['primary', true, 0.6],
    ]);
    const json = s3().json(EVALUATE_EVENT.metricsUri) as Record<string, Record<string, { value: unknown }>>;
    expect(json.binary_classification_metrics!.accuracy!.value).toBe(1);
    expect(json.binary_classification_metrics!.auc!.value).toBe(1);
  });

  it('fails the gate when the candidate does not beat production by the margin', async () => {
    const out = await evaluate({ ...EVALUATE_EVENT, gate: { ...EVALUATE_EVENT.gate, primary: { metric: 'accuracy', minImprovement: 0.6 } } });
    expect(out.passed).toBe(false);
    expect(out.rules.find((r) => r.kind === 'primary')).toMatchObject({ passed: false, candidate: 1, production: 0.5, threshold: 1.1 });
  });

  it('applies absolute rules only on the first run', async () => {
    const out = await evaluate({ ...EVALUATE_EVENT, productionPredictionsUri: '' });
    expect(EvaluateOutput.safeParse(out).success).toBe(true);
    expect(out.production).toBeUndefined();
    expect(out.passed).toBe(true);
    expect(out.rules.find((r) => r.kind === 'primary')).toMatchObject({ passed: true, threshold: 0.1 });
  });

  it('writes the candidate holdout predictions with their labels as the prediction reference when asked', async () => {
    // Act
    const out = await evaluate({ ...EVALUATE_EVENT, referenceUri: 's3://art/models/r1/holdout-predictions.json' });

    // Assess: the labels of LABELS, the candidate's .out lines, row for row.
    expect(out.referenceUri).toBe('s3://art/models/r1/holdout-predictions.json');
    expect(s3().json('s3://art/models/r1/holdout-predictions.json')).toEqual({
      version: 1,
      problemType: 'binary',
      labels: [1, 0, 1, 0],
      predictions: [[0.9], [0.1], [0.8], [0.3]],
    });
  });

  it('writes no prediction reference unless asked', async () => {
    const out = await evaluate(EVALUATE_EVENT);
    expect(out.referenceUri).toBeUndefined();
    expect([...s3().written.keys()].filter((k) => k.includes('holdout-predictions'))).toEqual([]);
  });

  it('rejects predictions whose count differs from the holdout rows', async () => {
    s3().put({ 's3://art/transforms/r1/candidate/holdout.csv.out': '0.9\n0.1\n0.8\n' });
    const err = await evaluate(EVALUATE_EVENT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(
      's3://art/transforms/r1/candidate/: candidate: expected 4 prediction lines (one per holdout row), found 3',
    );
  });
});

describe('Function: prepareHoldout then evaluate', () => {
  it('pairs each label with the prediction of its own row, across files and with the label column dropped', async () => {
    // Prepare: two holdout files, the label first; each row's x decides a stand-in model's answer.
    s3().put({
      's3://data/holdout/b.csv': 'label,x\n0,9\n1,7\n',
      's3://data/holdout/a.csv': 'label,x\n1,8\n0,1\n1,2\n',
    });
    const run = { ...RUN, holdoutUri: 's3://data/holdout/', label: 'label', problemType: 'binary', features: [] as string[] };
    const prepared = await prepareHoldout({
      ...run,
      transformInputUri: 's3://art/transforms/r2/input/holdout.csv',
      labelsUri: 's3://art/transforms/r2/labels.csv',
    });
    // Stand-in for batch transform: one answer line per input line, in order (P = 0.9 when x > 5).
    const input = s3().written.get(prepared.transformInputUri)!.body;
    const answers = input.split('\n').filter((l) => l !== '').map((l) => (Number(l) > 5 ? '0.9' : '0.1'));
    s3().put({ 's3://art/transforms/r2/candidate/holdout.csv.out': `${answers.join('\n')}\n` });

    // Act
    const out = await evaluate({
      ...EVALUATE_EVENT,
      labelsUri: prepared.labelsUri,
      candidatePredictionsUri: 's3://art/transforms/r2/candidate/',
      productionPredictionsUri: '',
    });

    // Assess: rows in key order a.csv then b.csv: x 8,1,2,9,7 → 1,0,0,1,1 predicted; labels 1,0,1,0,1
    // → right on rows 1, 2, 5: accuracy 3/5 (a label misaligned by the header or file order would change it).
    expect(prepared.rows).toBe(5);
    expect(input).toBe('8\n1\n2\n9\n7\n');
    expect(out.candidate.accuracy).toBeCloseTo(3 / 5, 12);
  });
});
