import { describe, expect, it } from 'vitest';
import { cfnLint, cfnLintPath } from './cfn-lint';

describe('Function: cfnLint', () => {
  it('finds cfn-lint on the machine (required by CI)', () => {
    expect(cfnLintPath(), 'cfn-lint is not installed: pip install cfn-lint').toBeDefined();
  });

  it('reports an error on an invalid template, so a clean result means something', () => {
    // Prepare: a queue with a property of the wrong type and an unknown property
    const template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 'soon', Colour: 'blue' } } },
    };
    // Act
    const { errors } = cfnLint(template, 'invalid');
    // Assess
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.Rule.Id.startsWith('E'))).toBe(true);
  });

  it('reports no error on a valid template', () => {
    const template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } } },
    };
    expect(cfnLint(template, 'valid').errors).toEqual([]);
  });
});
