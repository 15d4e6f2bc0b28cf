/**
 * A starting config for an endpoint that already serves: what the endpoint and the
 * training data tell, the user's flags, and placeholders (listed back to the user) for
 * the rest. The result always passes the config check.
 */
import type { Cell } from '../../../vocabulary/cell';
import { parseConfig, type PitstopConfig } from '../../../vocabulary/config/index';
import { isS3Uri } from '../../../vocabulary/s3-uri';
import type { EndpointFacts } from './endpoint';

/** What the user gave on the command line. */
export interface InitAnswers {
  readonly name: string;
  readonly label: string;
  readonly problemType: 'binary' | 'multiclass' | 'regression';
  /** Training data: read for the features; in the config only when it is on S3. */
  readonly training?: string;
  readonly holdout?: string;
  readonly groundTruth?: string;
  readonly image?: string;
}

/** A feature and its inferred type. */
export interface InferredFeature {
  readonly name: string;
  readonly type: 'numeric' | 'categorical';
}

/** Column types from sample rows: numeric when every non-empty value is a number. */
export function inferFeatures(columns: readonly string[], rows: readonly (readonly Cell[])[], label: string): InferredFeature[] {
  return columns.flatMap((name, i) => {
    if (name === label) return [];
    const values = rows.map((r) => r[i]).filter((v) => v !== null && v !== undefined && v !== '');
    const numeric = values.length > 0 && values.every((v) => typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))));
    return [{ name, type: numeric ? ('numeric' as const) : ('categorical' as const) }];
  });
}

const PLACEHOLDER_BUCKET = 's3://change-me-bucket';
const PLACEHOLDER_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/change-me:latest';

/** The config, and the fields left as placeholders for the user to fill in. */
export function startingConfig(facts: EndpointFacts, answers: InitAnswers, features: readonly InferredFeature[] | undefined): { config: PitstopConfig; json: unknown; placeholders: string[] } {
  const placeholders: string[] = [];
  const given = (value: string | undefined, field: string, placeholder: string) => {
    if (value !== undefined) return value;
    placeholders.push(field);
    return placeholder;
  };
  const model = {
    name: answers.name,
    endpointName: facts.endpointName,
    problemType: answers.problemType,
    label: answers.label,
    ...(features && features.length > 0 ? { features } : {}),
    data: {
      training: given(answers.training && isS3Uri(answers.training) ? answers.training : undefined, 'data.training', `${PLACEHOLDER_BUCKET}/${answers.name}/training/`),
      holdout: given(answers.holdout, 'data.holdout', `${PLACEHOLDER_BUCKET}/${answers.name}/holdout/holdout.csv`),
      captureUri: given(facts.captureUri, 'data.captureUri', `${PLACEHOLDER_BUCKET}/${answers.name}/capture/`),
      groundTruthUri: given(answers.groundTruth, 'data.groundTruthUri', `${PLACEHOLDER_BUCKET}/${answers.name}/ground-truth/`),
    },
    training: { image: given(answers.image, 'training.image', PLACEHOLDER_IMAGE) },
  };
  const json = { version: 1, models: [model] };
  return { config: parseConfig(json), json, placeholders };
}
