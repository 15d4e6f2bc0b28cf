/**
 * Which variant of an endpoint config serves production. pitstop's own configs name it
 * `production` (vocabulary/pipeline-names VARIANT_PRODUCTION) and list it first; an
 * endpoint created outside pitstop has a single variant of any name (SageMaker's
 * console and SDKs call it `AllTraffic`). Either way it is the first variant: the gate
 * scores its model as production and the canary starts from it. A config of several
 * variants none of which is pitstop's `production` is not adopted: which one is
 * production cannot be told.
 */
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { VARIANT_PRODUCTION } from '../vocabulary/pipeline-names';

/** Whether the variants list at `variantsPath` (a DescribeEndpointConfig `ProductionVariants`) has a production variant, first. */
export function hasProductionVariant(variantsPath: string): sfn.Condition {
  return sfn.Condition.and(
    sfn.Condition.isPresent(`${variantsPath}[0]`),
    sfn.Condition.or(
      sfn.Condition.stringEquals(`${variantsPath}[0].VariantName`, VARIANT_PRODUCTION),
      // Not(IsPresent) rather than IsPresent false: the local engine never matches the latter.
      sfn.Condition.not(sfn.Condition.isPresent(`${variantsPath}[1]`)),
    ),
  );
}
