/**
 * Stages: one model deployed several times in one account and Region (`staging`,
 * `prod`), side by side. A stage qualifies the model's name, and so every physical name
 * derived from it (`pitstop-<stage>-<model>-<kind>` state machines and alarms, SageMaker
 * jobs and models, the lock item, the `Model` metric dimension, S3 prefixes) and the
 * stack name (`Pitstop-<stage>-<model>`).
 */

/** A stage name: lowercase letters and digits, starting with a letter. */
export const STAGE_PATTERN = /^[a-z][a-z0-9]{0,11}$/;

/** What a stage name looks like, for messages. */
export const STAGE_EXPECTED = 'a stage name of 1 to 12 lowercase letters and digits starting with a letter';

/** The longest qualified model name (`<stage>-<model>`): the model name's own limit. */
export const MAX_QUALIFIED_NAME_LENGTH = 32;

/** The name a model is deployed under: `<stage>-<model>`, or the model's name without a stage. */
export function qualifiedModelName(model: string, stage?: string): string {
  return stage ? `${stage}-${model}` : model;
}

/** Why `stage` cannot be used, or undefined. */
export function stageProblem(stage: string): string | undefined {
  return STAGE_PATTERN.test(stage) ? undefined : `expected ${STAGE_EXPECTED}, got ${JSON.stringify(stage)}`;
}

/** The model as deployed in `stage`: the same settings under its qualified name. */
export function inStage<M extends { readonly name: string }>(model: M, stage?: string): M {
  return stage ? { ...model, name: qualifiedModelName(model.name, stage) } : model;
}
