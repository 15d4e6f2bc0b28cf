/** Capture records in the layout SageMaker writes, for the reader tests. */

/** One captured payload. */
export type Payload = { data: string; encoding: string; type: string };
export const csv = (data: string): Payload => ({ data, encoding: 'CSV', type: 'text/csv' });
export const json = (v: unknown): Payload => ({ data: JSON.stringify(v), encoding: 'JSON', type: 'application/json' });

/** One capture record with input and output. */
export function record(id: string, input: Payload, output: Payload): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: input.type, mode: 'INPUT', data: input.data, encoding: input.encoding },
      endpointOutput: { observedContentType: output.type, mode: 'OUTPUT', data: output.data, encoding: output.encoding },
    },
    eventMetadata: { eventId: id, inferenceTime: '2026-12-01T10:00:00Z' },
    eventVersion: '0',
  });
}
