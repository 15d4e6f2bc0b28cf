/**
 * Reading what a Distributed Map's ResultWriter wrote: its `manifest.json` names result
 * files by the children's status (`SUCCEEDED_n.json`, `FAILED_n.json`, `PENDING_n.json`),
 * each a JSON array of the children's executions with their input and output as JSON text
 * (vocabulary/fan-out-contracts.ts). The map ran to its end when this is read, so a
 * pending child is as lost as a failed one.
 */
import { InputError } from '../../../vocabulary/errors';
import { MapRunManifest, MapRunResult } from '../../../vocabulary/fan-out-contracts';

/** A child that did not succeed: its item (from its input) and why. */
export interface LostChild {
  readonly input: unknown;
  readonly status: string;
  readonly error: string;
}

/** The children of a map run. */
export interface MapRunOutcome {
  /** The outputs of the children that succeeded (parsed JSON), in file order. */
  readonly outputs: unknown[];
  readonly lost: LostChild[];
}

/**
 * Reads a map run from its manifest (at `manifestUri`) with `read` (a JSON reader of an
 * `s3://` URI).
 *
 * @throws InputError naming the file when the manifest or a result file is not of the documented shape
 */
export async function readMapRun(manifestUri: string, read: (uri: string) => Promise<unknown>): Promise<MapRunOutcome> {
  const parsed = MapRunManifest.safeParse(await read(manifestUri));
  if (!parsed.success) throw new InputError(`not a Distributed Map result manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { file: manifestUri });
  const manifest = parsed.data;
  const bucket = manifest.DestinationBucket;
  const entries = async (files: readonly { Key: string }[]) => {
    const out: { uri: string; result: MapRunResult }[] = [];
    for (const f of files) {
      const uri = `s3://${bucket}/${f.Key}`;
      const list = MapRunResult.array().safeParse(await read(uri));
      if (!list.success) throw new InputError(`not a Distributed Map result file: ${list.error.issues[0]?.message ?? ''}`, { file: uri });
      out.push(...list.data.map((result) => ({ uri, result })));
    }
    return out;
  };
  const json = (text: string | undefined, uri: string, what: string): unknown => {
    try {
      return JSON.parse(text ?? 'null');
    } catch (err) {
      throw new InputError(`a child's ${what} is not JSON`, { file: uri }, { cause: err });
    }
  };
  const outputs = (await entries(manifest.ResultFiles.SUCCEEDED)).map(({ uri, result }) => json(result.Output, uri, 'output'));
  const lost = [...(await entries(manifest.ResultFiles.FAILED)), ...(await entries(manifest.ResultFiles.PENDING))].map(({ uri, result }) => ({
    input: json(result.Input, uri, 'input'),
    status: result.Status,
    error: [result.Error, result.Cause].filter((x) => x).join(': ') || result.Status,
  }));
  return { outputs, lost };
}
