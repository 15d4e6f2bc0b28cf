import { describe, expect, it } from 'vitest';
import { LocalAwsError } from '../../local/backend/errors';
import { optimizedIntegrationError, sdkIntegrationError } from '../../local/task-errors';
import { SAGEMAKER_INTEGRATION_ERROR, SAGEMAKER_RETRY, SAGEMAKER_TRANSIENT_ERRORS, SERVICE_TRANSIENT_ERRORS } from '../../statemachines/errors';

describe('Function: retry lists', () => {
  it.each([
    // the common errors of every AWS API (code, HTTP status)
    ['ThrottlingException', 400],
    ['InternalFailure', 500],
    ['ServiceUnavailable', 503],
  ])('retries SageMaker %s as Step Functions names it for the AWS SDK integration', (code, status) => {
    // Prepare
    const error = new LocalAwsError(code, 'transient', 'sagemaker', { httpStatusCode: status });

    // Act
    const name = sdkIntegrationError('sagemaker', error).name;

    // Assess
    expect(name).toMatch(/^SageMaker\.\w+Exception$/);
    expect(SAGEMAKER_TRANSIENT_ERRORS).toContain(name);
  });

  it('retries what the optimized SageMaker integrations raise for an unmodeled error', () => {
    // Act
    const name = optimizedIntegrationError('sagemaker', new LocalAwsError('InternalFailure', 'boom', 'sagemaker', { httpStatusCode: 500 })).name;

    // Assess
    expect(name).toBe(SAGEMAKER_INTEGRATION_ERROR);
    expect(SAGEMAKER_RETRY.errors).toContain(name);
  });

  it('retries CloudWatch InternalServiceFault with the Exception suffix Step Functions adds', () => {
    // Act
    const name = sdkIntegrationError('cloudwatch', new LocalAwsError('InternalServiceFault', 'boom', 'cloudwatch', { httpStatusCode: 500 })).name;

    // Assess
    expect(name).toBe('CloudWatch.InternalServiceFaultException');
    expect(SERVICE_TRANSIENT_ERRORS).toContain(name);
  });

  it('names no SDK-integration error without the Exception suffix', () => {
    // Assess: SageMaker and CloudWatch are called through the AWS SDK integration here
    const sdk = [...SAGEMAKER_TRANSIENT_ERRORS, ...SERVICE_TRANSIENT_ERRORS].filter((e) => /^(SageMaker|CloudWatch)\./.test(e));
    expect(sdk.length).toBeGreaterThan(3);
    expect(sdk.filter((e) => !e.endsWith('Exception'))).toEqual([]);
  });
});
