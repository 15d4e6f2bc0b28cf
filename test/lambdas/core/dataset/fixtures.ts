/** Not a test: capture files and tables for the dataset tests. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTable } from '../../../../lambdas/core/readers';
import type { Table } from '../../../../lambdas/core/readers/types';
import type { TrainingSchema } from '../../../../lambdas/core/dataset';

/** Two numeric features and a categorical one, label `churned`. */
export const SCHEMA: TrainingSchema = {
  features: [
    { name: 'age', type: 'numeric' },
    { name: 'tenure', type: 'numeric' },
    { name: 'plan', type: 'categorical' },
  ],
  label: 'churned',
};

/** One captured request as SageMaker writes it: CSV features in, a CSV score out. */
export interface CapturedRequest {
  readonly eventId: string;
  readonly inferenceId?: string;
  readonly time: string;
  /** CSV lines of features (one line per instance). */
  readonly features: string;
  /** One score per instance. */
  readonly scores?: readonly number[];
}

/** A capture record line. */
export function captureLine(r: CapturedRequest): string {
  const instances = r.features.split('\n').length;
  const scores = r.scores ?? Array.from({ length: instances }, () => 0.5);
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: r.features, encoding: 'CSV' },
      endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: scores.join('\n'), encoding: 'CSV' },
    },
    eventMetadata: { eventId: r.eventId, ...(r.inferenceId ? { inferenceId: r.inferenceId } : {}), inferenceTime: r.time },
    eventVersion: '0',
  });
}

/** A temp folder; files written there are removed by `cleanup`. */
export async function scratch(): Promise<{ write(name: string, text: string | Uint8Array): Promise<string>; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'pitstop-dataset-'));
  return {
    write: async (name, text) => {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The capture files as one table, features named by the schema. */
export async function captureTable(paths: string | readonly string[]): Promise<Table> {
  const list = typeof paths === 'string' ? [paths] : paths;
  if (list.length === 1) return openTable(list[0]!, { format: 'capture', captureFeatureNames: SCHEMA.features.map((f) => f.name) });
  throw new Error('one capture file per table in these tests');
}
