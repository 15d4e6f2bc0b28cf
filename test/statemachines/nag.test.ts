import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { applyNag, checkNag, MIN_REASON_LENGTH, suppress, suppressAll } from '../../statemachines/nag';

/** A bucket cdk-nag flags: no SSL enforcement (S10), no access logs (S1). */
function flaggedBucket(stack: Stack): s3.Bucket {
  return new s3.Bucket(stack, 'Bucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  });
}

const ruleNames = (stack: Stack) => checkNag(stack).violations.map((v) => v.ruleName).sort();

describe('Function: checkNag', () => {
  it('reports the AwsSolutions findings of a non-compliant resource', () => {
    const stack = new Stack(new App(), 'Test');
    flaggedBucket(stack);
    expect(ruleNames(stack)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});

describe('Function: applyNag', () => {
  it('fails the synth on an unacknowledged finding', () => {
    // Prepare
    const app = new App();
    flaggedBucket(new Stack(app, 'Test'));
    // Act
    applyNag(app, { verbose: false });
    // Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });

  it('lets the synth pass once every finding is acknowledged', () => {
    const app = new App();
    const bucket = flaggedBucket(new Stack(app, 'Test'));
    suppressAll(bucket, ['AwsSolutions-S1', 'AwsSolutions-S10'], 'Test bucket standing in for a deliberately non-compliant resource.');
    applyNag(app);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('Function: suppress', () => {
  it('acknowledges one rule on the construct and leaves the others', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    const bucket = flaggedBucket(stack);
    // Act
    suppress(bucket, 'AwsSolutions-S1', 'Test bucket: access logging is out of scope of this check.');
    // Assess
    const names = ruleNames(stack);
    expect(names).not.toContain('AwsSolutions-S1');
    expect(names).toContain('AwsSolutions-S10');
  });

  it('requires a specific reason', () => {
    const bucket = flaggedBucket(new Stack(new App(), 'Test'));
    expect(() => suppress(bucket, 'AwsSolutions-S1', 'not needed')).toThrow(
      `expected a reason of at least ${MIN_REASON_LENGTH} characters saying why AwsSolutions-S1 is acceptable on Test/Bucket, got "not needed"`,
    );
  });

  it('requires an AwsSolutions rule id', () => {
    const bucket = flaggedBucket(new Stack(new App(), 'Test'));
    expect(() => suppress(bucket, 'S1', 'A long enough reason for the check to pass.')).toThrow(
      'expected a rule id like "AwsSolutions-S1" or "AwsSolutions-IAM5[Resource::*]", got "S1"',
    );
  });
});
