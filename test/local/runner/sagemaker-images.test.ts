/**
 * Which local commands stand in for which image: the example model for the user's own
 * image, the Python stand-ins for SageMaker's images (under the URI the region mapping
 * resolves to), and the interpreter search with its error naming what to install.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../vocabulary/config/index';
import { EXAMPLE_IMAGE_COMMANDS, MissingPythonModulesError, localImages, pythonCandidates, pythonFor } from '../../../local/runner/sagemaker-images';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function available(container: 'xgboost' | 'sklearn'): string | undefined {
  try {
    return pythonFor(container);
  } catch (e) {
    if (e instanceof MissingPythonModulesError) return undefined;
    throw e;
  }
}
const xgbPython = available('xgboost');

const model = (training: Record<string, unknown>) =>
  parseConfig({
    models: [
      {
        name: 'churn',
        endpointName: 'churn-prod',
        problemType: 'binary',
        label: 'churned',
        data: { training: 's3://churn-data/t/', holdout: 's3://churn-data/h.csv', captureUri: 's3://churn-data/c/', groundTruthUri: 's3://churn-data/g/' },
        training,
      },
    ],
  }).models[0]!;

describe('Function: localImages', () => {
  it("maps the user's images to the example model", () => {
    // Act
    const images = localImages(model({ image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1', inferenceImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-serve:1' }));
    // Assess
    expect(images).toEqual({
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1': EXAMPLE_IMAGE_COMMANDS,
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-serve:1': EXAMPLE_IMAGE_COMMANDS,
    });
  });

  it.skipIf(!xgbPython)("maps SageMaker's XGBoost image of the region to the Python stand-in", () => {
    // Act
    const images = localImages(model({ algorithm: 'xgboost', version: '1.7-1', hyperparameters: { num_round: 5 } }), 'eu-west-1');
    // Assess
    expect(images).toEqual({
      '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1': {
        train: [xgbPython, '-u', 'local/images/xgboost_container.py', 'train'],
        serve: [xgbPython, '-u', 'local/images/xgboost_container.py', 'serve'],
      },
    });
  });
});

describe('Function: pythonCandidates', () => {
  it('tries PITSTOP_PYTHON first, then python3 on PATH, then Debian\'s /usr/bin/python3', () => {
    // Assess
    expect(pythonCandidates({ PITSTOP_PYTHON: '/opt/py/bin/python' })).toEqual(['/opt/py/bin/python', 'python3', '/usr/bin/python3']);
    expect(pythonCandidates({})).toEqual(['python3', '/usr/bin/python3']);
  });
});

describe('Function: pythonFor', () => {
  it('names the Debian packages and the scenario when no interpreter has the modules', () => {
    // Act
    const attempt = () => pythonFor('xgboost', ['/nonexistent/python3']);
    // Assess
    expect(attempt).toThrow(MissingPythonModulesError);
    expect(attempt).toThrow(/python3-xgboost python3-numpy.*the xgboost scenario/);
  });

  it('passes over an interpreter without the modules to the next one', () => {
    // Prepare: a "python" that runs but imports nothing
    const dir = mkdtempSync(join(tmpdir(), 'pitstop-fake-python-'));
    roots.push(dir);
    const fake = join(dir, 'python3');
    writeFileSync(fake, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    // Act
    const chosen = xgbPython ? pythonFor('xgboost', [fake, xgbPython]) : undefined;
    // Assess
    expect(() => pythonFor('sklearn', [fake])).toThrow(/python3-sklearn python3-joblib python3-numpy/);
    if (xgbPython) expect(chosen).toBe(xgbPython);
  });
});

