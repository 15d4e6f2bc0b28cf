import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PitstopDashboard } from '../../infra/dashboard';
import { OUTCOMES, VARIANT_CANDIDATE, VARIANT_PRODUCTION } from '../../vocabulary/pipeline-names';
import type { ModelConfig } from '../../vocabulary/config/index';
import { model, standInStateMachine } from './fixtures';

interface Widget {
  type: string;
  properties: { title?: string; metrics?: unknown[][]; annotations?: { horizontal?: Array<{ value: number }> } };
}

/** The dashboard body as JSON, with tokens (the region) replaced by a placeholder. */
function dashboardBody(template: Template): { widgets: Widget[] } {
  const body = (Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0] as any).Properties.DashboardBody;
  const text = typeof body === 'string' ? body : (body['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(text);
}

function synth(m: ModelConfig, withMachines = false): { widgets: Widget[]; template: Template } {
  const stack = new Stack(new App(), 'Test');
  const stateMachines = withMachines ? { retrain: standInStateMachine(stack, 'Retrain') } : undefined;
  new PitstopDashboard(stack, 'Dashboard', { model: m, stateMachines });
  const template = Template.fromStack(stack);
  return { widgets: dashboardBody(template).widgets, template };
}

const widget = (widgets: Widget[], title: RegExp) => widgets.find((w) => title.test(w.properties.title ?? ''))!;
const metricRows = (w: Widget) => (w.properties.metrics ?? []).map((row) => row.filter((c) => typeof c === 'string'));

describe('Class: PitstopDashboard (features and quality configured)', () => {
  // Prepare (one synth for the describe)
  const m = model({
    features: [
      { name: 'age', type: 'numeric' },
      { name: 'plan', type: 'categorical' },
    ],
    triggers: { quality: { metric: 'f1', threshold: 0.7 } },
  });
  const { widgets } = synth(m, true);

  it('graphs drift per configured feature', () => {
    const rows = metricRows(widget(widgets, /^Drift per feature/));
    expect(rows).toEqual([
      expect.arrayContaining(['Pitstop', 'Drift', 'Model', 'churn', 'Feature', 'age']),
      expect.arrayContaining(['Pitstop', 'Drift', 'Model', 'churn', 'Feature', 'plan']),
    ]);
  });

  it('graphs the configured live quality metric with its threshold', () => {
    const w = widget(widgets, /^Live quality \(f1\)/);
    expect(metricRows(w)).toEqual([expect.arrayContaining(['Pitstop', 'LiveQuality', 'Metric', 'f1'])]);
    expect(w.properties.annotations?.horizontal?.map((a) => a.value)).toEqual([0.7]);
  });

  it('graphs every run outcome and the state machine executions', () => {
    const rows = metricRows(widget(widgets, /^Run outcomes/));
    for (const outcome of Object.values(OUTCOMES)) {
      expect(rows).toContainEqual(expect.arrayContaining(['RunOutcome', 'Outcome', outcome]));
    }
    expect(rows).toContainEqual(expect.arrayContaining(['AWS/States', 'ExecutionsFailed']));
    expect(rows).toContainEqual(expect.arrayContaining(['AWS/States', 'ExecutionsSucceeded']));
  });

  it('graphs p95 and p99 model latency and 5XX errors for both canary variants', () => {
    const latency = (widget(widgets, /^Model latency per variant/).properties.metrics ?? []) as unknown[][];
    for (const variant of [VARIANT_PRODUCTION, VARIANT_CANDIDATE]) {
      for (const stat of ['p95', 'p99']) {
        expect(latency).toContainEqual(
          expect.arrayContaining(['AWS/SageMaker', 'ModelLatency', 'EndpointName', 'churn-endpoint', 'VariantName', variant, expect.objectContaining({ stat })]),
        );
      }
    }
    const errors = metricRows(widget(widgets, /5XX errors per variant/));
    for (const variant of [VARIANT_PRODUCTION, VARIANT_CANDIDATE]) {
      expect(errors).toContainEqual(expect.arrayContaining(['Invocation5XXErrors', 'VariantName', variant]));
    }
  });
});

describe('Class: PitstopDashboard (defaults)', () => {
  const { widgets, template } = synth(model());

  it('graphs the drifted-feature count when no features are configured', () => {
    const w = widget(widgets, /^Drifted features/);
    expect(metricRows(w)).toEqual([expect.arrayContaining(['Pitstop', 'DriftedFeatures', 'Model', 'churn'])]);
    expect(widgets.some((x) => /^Drift per feature/.test(x.properties.title ?? ''))).toBe(false);
  });

  it('graphs every live quality metric of the model with a SEARCH expression when no quality trigger is set', () => {
    const w = widget(widgets, /^Live quality$/);
    const expression = JSON.stringify(w.properties.metrics);
    expect(expression).toContain('SEARCH(');
    expect(expression).toContain('MetricName=\\"LiveQuality\\"');
    expect(expression).toContain('Model=\\"churn\\"');
  });

  it('names the dashboard per model and region', () => {
    const name = (Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0] as any).Properties.DashboardName;
    expect(name).toEqual({ 'Fn::Join': ['', ['pitstop-churn-', { Ref: 'AWS::Region' }]] });
  });

  it('rejects a dashboard name CloudWatch would refuse', () => {
    const stack = new Stack(new App(), 'Test');
    expect(() => new PitstopDashboard(stack, 'D', { model: model(), dashboardName: 'my dashboard' })).toThrow(
      'expected a dashboard name of letters, digits, "-" and "_" (at most 255), got "my dashboard"',
    );
  });
});

describe('Class: PitstopDashboard (estimated quality and prediction drift)', () => {
  it('charts the estimated metric beside the live one with the estimated-quality trigger', () => {
    // Act
    const { widgets } = synth(model({ triggers: { estimatedQuality: { metric: 'rocAuc', threshold: 0.75 } } }));
    // Assess
    const w = widget(widgets, /^Estimated and live quality \(rocAuc\)/);
    expect(metricRows(w)).toEqual([
      expect.arrayContaining(['Pitstop', 'EstimatedQuality', 'Model', 'churn', 'Metric', 'rocAuc']),
      expect.arrayContaining(['Pitstop', 'LiveQuality', 'Model', 'churn', 'Metric', 'rocAuc']),
    ]);
    expect(w.properties.annotations?.horizontal?.map((a) => a.value)).toEqual([0.75]);
  });

  it('charts the live quality trigger’s metric when no estimated-quality trigger is set', () => {
    const { widgets } = synth(model({ triggers: { quality: { metric: 'precision', threshold: 0.7 } } }));
    expect(metricRows(widget(widgets, /^Estimated and live quality \(precision\)/))[0]).toEqual(expect.arrayContaining(['EstimatedQuality', 'Metric', 'precision']));
  });

  it('charts prediction drift with its threshold', () => {
    // Act
    const { widgets } = synth(model({ triggers: { predictionDrift: { method: 'js', threshold: 0.15 } } }));
    // Assess
    const w = widget(widgets, /^Prediction drift \(js\)/);
    expect(metricRows(w)).toEqual([expect.arrayContaining(['Pitstop', 'PredictionDrift', 'Model', 'churn'])]);
    expect(w.properties.annotations?.horizontal?.map((a) => a.value)).toEqual([0.15]);
  });

  it('charts neither for a multiclass model', () => {
    const { widgets } = synth(model({ problemType: 'multiclass', classes: 3 } as never));
    expect(widgets.some((w) => /^(Estimated and live quality|Prediction drift)/.test(w.properties.title ?? ''))).toBe(false);
  });
});
