/**
 * The errors the local SageMaker throws, named like SageMaker's own error codes.
 */
import { LocalAwsError } from '../errors';

/** A `ValidationException` of the `sagemaker` service (SageMaker's error for bad input and for most missing resources). */
export function validationError(message: string, service = 'sagemaker'): LocalAwsError {
  return new LocalAwsError('ValidationException', message, service);
}

/** A `ResourceNotFound` of the `sagemaker` service (SageMaker's error for missing registry entries). */
export function notFoundError(message: string): LocalAwsError {
  return new LocalAwsError('ResourceNotFound', message, 'sagemaker');
}

/** A `ResourceInUse` of the `sagemaker` service. */
export function inUseError(message: string): LocalAwsError {
  return new LocalAwsError('ResourceInUse', message, 'sagemaker');
}

/** The message of an unknown thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
