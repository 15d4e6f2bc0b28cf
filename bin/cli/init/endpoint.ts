/**
 * What `pitstop init --endpoint` learns from a serving endpoint: its production variant
 * and where (and whether) it captures data, from DescribeEndpoint (the live capture
 * status) and DescribeEndpointConfig (variants and capture options).
 */
import { DescribeEndpointCommand, DescribeEndpointConfigCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InputError } from '../../../vocabulary/errors';

/** An endpoint as a starting config needs it. */
export interface EndpointFacts {
  readonly endpointName: string;
  readonly status: string;
  /** The variant serving the most traffic (the only one, usually). */
  readonly variant: string;
  /** Where the endpoint captures, when it does (or did). */
  readonly captureUri?: string;
  /** Whether capture is on now (DescribeEndpoint's DataCaptureConfig.EnableCapture). */
  readonly captureEnabled: boolean;
  /** Whether requests (Input) are among the captured data. */
  readonly capturesInput: boolean;
  readonly samplingPercent?: number;
}

/**
 * Reads an endpoint's facts.
 * @throws InputError when the endpoint does not exist (SageMaker's ValidationException "Could not find endpoint")
 */
export async function describeEndpoint(client: SageMakerClient, endpointName: string): Promise<EndpointFacts> {
  let endpoint;
  try {
    endpoint = await client.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
  } catch (err) {
    if ((err as { name?: string }).name === 'ValidationException' && /Could not find endpoint/i.test((err as Error).message)) {
      throw new InputError(`no endpoint named ${endpointName} in this account and region (check --endpoint, --region / --profile)`, {}, { cause: err });
    }
    throw err;
  }
  const config = await client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: endpoint.EndpointConfigName }));
  const variants = [...(config.ProductionVariants ?? [])].sort((a, b) => (b.InitialVariantWeight ?? 1) - (a.InitialVariantWeight ?? 1));
  const variant = variants[0]?.VariantName;
  if (!variant) throw new InputError(`endpoint ${endpointName} has no production variant in ${endpoint.EndpointConfigName}`);
  const summary = endpoint.DataCaptureConfig;
  const configured = config.DataCaptureConfig;
  const captureUri = summary?.DestinationS3Uri ?? configured?.DestinationS3Uri;
  return {
    endpointName,
    status: endpoint.EndpointStatus ?? 'Unknown',
    variant,
    ...(captureUri ? { captureUri: captureUri.endsWith('/') ? captureUri : `${captureUri}/` } : {}),
    captureEnabled: summary?.EnableCapture ?? configured?.EnableCapture ?? false,
    // CaptureMode is Input, Output or InputAndOutput (the API's CaptureOption).
    capturesInput: (configured?.CaptureOptions ?? []).some((o) => o.CaptureMode === 'Input' || o.CaptureMode === 'InputAndOutput'),
    ...(summary?.CurrentSamplingPercentage !== undefined ? { samplingPercent: summary.CurrentSamplingPercentage } : {}),
  };
}
