import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { renderReport, writeReport } from '../../../local/report';
import type { RunReportData } from '../../../local/report/types';
import { attr, bars, chart, charts, numAttr, sectionOf } from './html-helpers';
import { EMPTY_RUN, PROMOTED_RUN, hostileRun } from './sample';

/** The tags the report itself writes; anything else would come from the data. */
const OWN_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'main', 'header', 'footer', 'div', 'h1', 'h2', 'h3', 'span', 'dl', 'dt', 'dd',
  'code', 'section', 'p', 'ul', 'ol', 'li', 'details', 'summary', 'strong', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'pre', 'svg', 'rect', 'text', 'line',
]);

const tagsOf = (html: string) => new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase()));

describe('Function: renderReport', () => {
  describe('page', () => {
    it('is one HTML document with no external resource and no script', () => {
      // Act
      const html = renderReport(PROMOTED_RUN);

      // Assess
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
      expect(html).not.toMatch(/\b(src|href)=/i);
      expect(html).toContain('content="default-src &#39;none&#39;;');
      expect(charts(html, '[a-z]+')).toHaveLength(4);
    });

    it('shows scenario, outcome, model, production model before → after and duration in the header', () => {
      // Act
      const html = renderReport(PROMOTED_RUN);

      // Assess
      const header = /<header class="run">[\s\S]*?<\/header>/.exec(html)![0];
      expect(header).toContain('drift-retrain');
      expect(header).toMatch(/class="badge badge-good">promoted</);
      expect(header).toContain('churn');
      expect(header).toMatch(/churn-20250525-0200<\/code> → <code>churn-20250601-0200/);
      // 100 000 ms is 1 minute 40 seconds.
      expect(header).toContain('1 min 40 s');
    });

    it('gives each outcome its own badge colour', () => {
      const tones = (['promoted', 'rejected', 'rolled-back', 'stopped'] as const).map(
        (outcome) => /badge badge-(\w+)">/.exec(renderReport({ ...PROMOTED_RUN, outcome }))![1],
      );
      expect(new Set(tones).size).toBe(4);
      expect(tones[0]).toBe('good');
      expect(tones[2]).toBe('bad');
    });
  });

  describe('timeline chart', () => {
    it('has one bar per state entered, each with its state name as tooltip', () => {
      // Act
      const svg = chart(renderReport(PROMOTED_RUN), 'timeline');

      // Assess
      const found = bars(svg);
      expect(found).toHaveLength(PROMOTED_RUN.timeline.length);
      expect(found.map((b) => attr(b, 'data-state'))).toEqual(PROMOTED_RUN.timeline.map((e) => e.state));
      expect(svg).toMatch(/<title>churn-retrain › Train: succeeded/);
    });

    it('draws one row label per state machine and marks failed and caught states', () => {
      // Prepare
      const timeline: RunReportData['timeline'] = [
        { stateMachine: 'monitor', state: 'DetectDrift', startMs: 0, endMs: 100, status: 'succeeded' },
        { stateMachine: 'retrain', state: 'Train', startMs: 100, endMs: 300, status: 'caught' },
        { stateMachine: 'retrain', state: 'Notify', startMs: 300, endMs: 400, status: 'failed' },
      ];

      // Act
      const svg = chart(renderReport({ ...PROMOTED_RUN, timeline, durationMs: 400 }), 'timeline');

      // Assess
      expect(svg.match(/class="label"/g)).toHaveLength(2);
      const status = bars(svg).map((b) => attr(b, 'data-status'));
      expect(status).toEqual(['succeeded', 'caught', 'failed']);
      expect(svg).toContain('>✕</text>');
      expect(svg.match(/class="mark /g)).toHaveLength(2);
    });

    it('places bars on a time axis from 0 to the run duration', () => {
      // Prepare: 1000 ms run; the axis is 0..1000 (ticks every 200 ms), the plot 960 - 150 - 16 = 794 units wide from x=150.
      const timeline: RunReportData['timeline'] = [
        { stateMachine: 'm', state: 'A', startMs: 0, endMs: 500, status: 'succeeded' },
        { stateMachine: 'm', state: 'B', startMs: 500, endMs: 1000, status: 'succeeded' },
      ];

      // Act
      const [a, b] = bars(chart(renderReport({ ...PROMOTED_RUN, timeline, durationMs: 1000 }), 'timeline'));

      // Assess
      expect(numAttr(a!, 'x')).toBeCloseTo(150, 1);
      expect(numAttr(a!, 'width')).toBeCloseTo(397, 1);
      expect(numAttr(b!, 'x')).toBeCloseTo(547, 1);
      expect(numAttr(b!, 'width')).toBeCloseTo(397, 1);
    });

    it('keeps an instant state visible', () => {
      const timeline: RunReportData['timeline'] = [{ stateMachine: 'm', state: 'Pass', startMs: 10, endMs: 10, status: 'succeeded' }];
      const [bar] = bars(chart(renderReport({ ...PROMOTED_RUN, timeline }), 'timeline'));
      expect(numAttr(bar!, 'width')).toBeGreaterThan(0);
    });

    it('lists the states in order', () => {
      const section = sectionOf(renderReport(PROMOTED_RUN), 'timeline');
      const items = [...section.matchAll(/<li[^>]*>[\s\S]*?<strong>([^<]*)<\/strong>/g)].map((m) => m[1]);
      expect(items).toEqual(PROMOTED_RUN.timeline.map((e) => e.state));
    });
  });

  describe('drift chart', () => {
    it('has one bar per feature, drifted ones highlighted, and a threshold mark per feature', () => {
      // Act
      const svg = chart(renderReport(PROMOTED_RUN), 'drift');

      // Assess
      const found = bars(svg);
      expect(found.map((b) => attr(b, 'data-feature'))).toEqual(PROMOTED_RUN.drift.map((d) => d.feature));
      expect(found.filter((b) => attr(b, 'data-drifted') === 'true').map((b) => attr(b, 'data-feature'))).toEqual([
        'tenure_months',
        'monthly_charges',
        'payment_method',
      ]);
      expect(svg.match(/class="threshold"/g)).toHaveLength(8);
      expect(new Set(found.filter((b) => attr(b, 'data-drifted') === 'true').map((b) => attr(b, 'fill'))).size).toBe(1);
      expect(attr(found[0]!, 'fill')).not.toBe(attr(found[2]!, 'fill'));
    });

    it('draws bar lengths proportional to the scores and thresholds on the same scale', () => {
      // Act
      const svg = chart(renderReport(PROMOTED_RUN), 'drift');

      // Assess: tenure 0.31, total_charges 0.12, monthly_charges 0.27; psi threshold 0.2.
      const [tenure, monthly, total] = bars(svg);
      expect(numAttr(tenure!, 'width') / numAttr(total!, 'width')).toBeCloseTo(0.31 / 0.12, 2);
      const thresholdX = Number(/x1="([\d.]+)"[^>]*class="threshold"/.exec(svg)![1]);
      const end = (b: string) => numAttr(b, 'x') + numAttr(b, 'width');
      expect(end(total!)).toBeLessThan(thresholdX);
      expect(end(monthly!)).toBeGreaterThan(thresholdX);
    });
  });

  describe('metrics chart', () => {
    it('has a candidate and a production bar per metric, the larger of each pair at full width', () => {
      // Act
      const svg = chart(renderReport(PROMOTED_RUN), 'metrics');

      // Assess
      const found = bars(svg);
      const metrics = Object.keys(PROMOTED_RUN.evaluation!.candidate);
      expect(found).toHaveLength(metrics.length * 2);
      expect(found.filter((b) => attr(b, 'data-bar') === 'candidate').map((b) => attr(b, 'data-metric'))).toEqual(metrics);
      const accuracy = found.filter((b) => attr(b, 'data-metric') === 'accuracy');
      // Plot width 960 - 180 - 110 = 670; candidate 0.874 is the larger.
      expect(numAttr(accuracy[0]!, 'width')).toBeCloseTo(670, 1);
      expect(numAttr(accuracy[1]!, 'width')).toBeCloseTo((670 * 0.842) / 0.874, 1);
    });

    it('draws candidate bars only when there is no production model', () => {
      const evaluation = { ...PROMOTED_RUN.evaluation!, production: undefined, rules: [] };
      const html = renderReport({ ...PROMOTED_RUN, evaluation });
      expect(bars(chart(html, 'metrics')).map((b) => attr(b, 'data-bar'))).toEqual(Array(5).fill('candidate'));
      expect(html).toContain('absolute rules only');
      expect(sectionOf(html, 'evaluation')).toContain('No gate rule was evaluated.');
    });

    it('lists every gate rule with its verdict and message', () => {
      // Prepare
      const rules = [
        ...PROMOTED_RUN.evaluation!.rules.slice(0, 2),
        { kind: 'primary', metric: 'f1', passed: false, candidate: 0.66, production: 0.655, threshold: 0.665, message: 'f1 0.66 < production 0.655 + 0.01' },
      ];

      // Act
      const section = sectionOf(renderReport({ ...PROMOTED_RUN, outcome: 'rejected', evaluation: { ...PROMOTED_RUN.evaluation!, rules, passed: false } }), 'evaluation');

      // Assess
      const table = /<table class="data rules">[\s\S]*?<\/table>/.exec(section)![0];
      expect(table.match(/badge-good">pass</g)).toHaveLength(2);
      expect(table.match(/badge-bad">fail</g)).toHaveLength(1);
      expect(table).toContain('f1 0.66 &lt; production 0.655 + 0.01');
      expect(section).toMatch(/Gate: <span data-field="gate"><span class="badge badge-bad">rejected/);
    });
  });

  describe('canary chart', () => {
    it('has a candidate and a production bar per stage for error rate and for p99 latency', () => {
      // Act
      const svg = chart(renderReport(PROMOTED_RUN), 'canary');

      // Assess
      const found = bars(svg);
      expect(found).toHaveLength(4 * 2 * 2);
      for (const stage of ['1', '2', '3', '4']) {
        const ofStage = found.filter((b) => attr(b, 'data-stage') === stage);
        expect(ofStage.map((b) => `${attr(b, 'data-measure')}/${attr(b, 'data-bar')}`).sort()).toEqual([
          'errorRate/candidate',
          'errorRate/production',
          'latencyP99Ms/candidate',
          'latencyP99Ms/production',
        ]);
      }
      expect(svg).not.toContain('data-breach');
    });

    it('draws bar heights proportional to the values', () => {
      const found = bars(chart(renderReport(PROMOTED_RUN), 'canary'));
      const p99 = (stage: string, variant: string) =>
        numAttr(found.find((b) => attr(b, 'data-stage') === stage && attr(b, 'data-measure') === 'latencyP99Ms' && attr(b, 'data-bar') === variant)!, 'height');
      // Stage 1: candidate p99 31 ms, production 38 ms.
      expect(p99('1', 'candidate') / p99('1', 'production')).toBeCloseTo(31 / 38, 2);
    });

    it('marks a breached stage in both panels and gives its reason in the table', () => {
      // Prepare
      const canary = PROMOTED_RUN.canary.slice(0, 2).map((s, i) =>
        i === 1 ? { ...s, breached: true, reason: '5XX error rate 0.05 is above 0.01', candidate: { ...s.candidate, errorRate: 0.05 } } : s,
      );

      // Act
      const html = renderReport({ ...PROMOTED_RUN, outcome: 'rolled-back', canary });

      // Assess
      const svg = chart(html, 'canary');
      expect(bars(svg)).toHaveLength(8);
      expect(svg.match(/data-breach="2"/g)).toHaveLength(2);
      expect(svg.match(/>breach<\/text>/g)).toHaveLength(2);
      expect(sectionOf(html, 'canary')).toMatch(/badge-bad">breached<\/span> 5XX error rate 0.05 is above 0.01/);
    });

    it('formats rates as percentages, latencies in ms and counts with grouping in the table', () => {
      const section = sectionOf(renderReport(PROMOTED_RUN), 'canary');
      const table = /<table[\s\S]*?<\/table>/.exec(section)![0];
      // Stage 2: candidate 5XX 0.002 → 0.2 %; stage 3: 0.0015 → 0.15 %; stage 3 production 1200 invocations.
      expect(table).toContain('>0.2 %<');
      expect(table).toContain('>0.15 %<');
      expect(table).toContain('>1,200<');
      expect(table).toContain('>31 ms<');
    });
  });

  describe('fixed holdout', () => {
    const FIXED = {
      candidate: { auc: 0.71, f1: 0.52 },
      production: { auc: 0.78, f1: 0.6 },
      rules: [{ kind: 'relative', metric: 'f1', passed: false, candidate: 0.52, production: 0.6, threshold: 0.59, message: 'f1 0.52 < production 0.6 - 0.01' }],
      passed: false,
    };

    it('shows the same candidate judged on the fixed holdout right after the gate verdict on the recent one', () => {
      // Act
      const html = renderReport({ ...PROMOTED_RUN, fixedHoldout: FIXED });

      // Assess: the gate passed on the recent holdout, the fixed holdout would have rejected
      const gate = sectionOf(html, 'evaluation');
      const fixed = sectionOf(html, 'fixed-holdout');
      expect(gate).toContain('on the recent holdout');
      expect(gate).toMatch(/data-field="gate"><span class="badge badge-good">passed</);
      expect(fixed).toMatch(/data-field="fixed-holdout-gate"><span class="badge badge-bad">would have been rejected</);
      expect(html.indexOf('<section id="fixed-holdout">')).toBe(html.indexOf('</section>', html.indexOf('<section id="evaluation">')) + '</section>'.length + 1);
      // its metrics (candidate, production, difference) and its rule
      expect(fixed).toContain('>0.71<');
      expect(fixed).toContain('>0.78<');
      expect(fixed).toContain('>-0.07<');
      expect(fixed).toContain('f1 0.52 &lt; production 0.6 - 0.01');
    });

    it('says the candidate would have passed on the fixed holdout when it would', () => {
      const fixed = sectionOf(renderReport({ ...PROMOTED_RUN, fixedHoldout: { ...FIXED, passed: true, rules: [] } }), 'fixed-holdout');
      expect(fixed).toMatch(/badge-good">would have passed</);
      expect(fixed).toContain('No gate rule was evaluated.');
    });

    it('has no fixed-holdout section, and an unqualified gate title, without one', () => {
      const html = renderReport(PROMOTED_RUN);
      expect(html).not.toContain('id="fixed-holdout"');
      expect(sectionOf(html, 'evaluation')).not.toContain('recent holdout');
    });
  });

  describe('numbers', () => {
    it('shows metric differences without floating point noise', () => {
      const section = sectionOf(renderReport(PROMOTED_RUN), 'evaluation');
      // f1: 0.712 - 0.655 is 0.05699999... in binary floating point.
      expect(section).toContain('>+0.057<');
      expect(section).toContain('>+0.032<');
      expect(section).not.toMatch(/\d{6,}/);
    });

    it('shows event times as offsets from the run start', () => {
      const html = renderReport(PROMOTED_RUN);
      expect(sectionOf(html, 'alarms')).toContain('+5.1 s');
      // 99 500 ms is 1 min 39.5 s, shown to the second.
      expect(sectionOf(html, 'notifications')).toContain('+1 min 40 s');
    });
  });

  describe('empty sections', () => {
    it('says so instead of drawing any chart', () => {
      // Act
      const html = renderReport(EMPTY_RUN);

      // Assess
      expect(html).not.toContain('<svg');
      for (const id of ['timeline', 'drift', 'evaluation', 'canary', 'alarms', 'notifications']) {
        expect(sectionOf(html, id)).toMatch(/<p class="empty" data-empty>[^<]+<\/p>/);
      }
      expect(sectionOf(html, 'evaluation')).toContain('stopped before the candidate was evaluated');
      expect(html).toMatch(/data-field="production-model"><span class="empty">none<\/span> → <span class="empty">none/);
      expect(html).toContain('>0 ms<');
    });

    it('says so when the candidate has no metric', () => {
      const html = renderReport({ ...PROMOTED_RUN, evaluation: { candidate: {}, rules: [], passed: true } });
      expect(charts(html, 'metrics')).toHaveLength(0);
      expect(sectionOf(html, 'evaluation')).toContain('No metric was reported');
    });
  });

  describe('escaping', () => {
    it('escapes every string from the data', () => {
      // Prepare
      const payload = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>&amp;`;

      // Act
      const html = renderReport(hostileRun(payload));

      // Assess
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<img');
      expect(html).not.toContain(payload);
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;&amp;amp;');
      expect([...tagsOf(html)].filter((t) => !OWN_TAGS.has(t))).toEqual([]);
    });

    it('never lets data add a tag or break out of an attribute (property)', () => {
      const hostile = fc
        .array(fc.constantFrom('<', '>', '"', "'", '&', '/', '=', ' ', 'a', 'img', 'script', 'svg', 'onload', '\n'), { maxLength: 30 })
        .map((parts) => parts.join(''));
      fc.assert(
        fc.property(hostile, (payload) => {
          const html = renderReport(hostileRun(payload));
          expect([...tagsOf(html)].filter((t) => !OWN_TAGS.has(t))).toEqual([]);
          // The hostile run has 3 states, 2 features, 1 metric pair and 1 canary stage.
          expect(bars(html)).toHaveLength(3 + 2 + 2 + 4);
          expect(html.match(/<svg /g)).toHaveLength(4);
        }),
        { numRuns: 150 },
      );
    });
  });
});

describe('Function: writeReport', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('creates missing directories and writes the rendered report', async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), 'pitstop-report-'));
    const path = join(dir, 'a', 'b', 'report.html');

    // Act
    const written = await writeReport(path, PROMOTED_RUN);

    // Assess
    expect(written).toBe(path);
    expect(await readFile(path, 'utf8')).toBe(renderReport(PROMOTED_RUN));
  });
});
