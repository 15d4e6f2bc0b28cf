import { describe, expect, it } from 'vitest';
import { DATASET_FUNCTIONS, FUNCTION_DIRS } from '../../infra/functions';
import { synthesizeModel } from '../../local/synth';
import { model } from '../infra/fixtures';

const network = { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] };
const functionsOf = (template: ReturnType<typeof synthesizeModel>['template']) =>
  Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');

describe('Function: synthesizeModel', () => {
  it('synthesizes in standard mode by default: Lambdas outside any VPC, no Object Lock', () => {
    const { template } = synthesizeModel(model());
    expect(functionsOf(template).map((f) => f.Properties?.VpcConfig)).toEqual(new Array(Object.keys(FUNCTION_DIRS).length - DATASET_FUNCTIONS.length).fill(undefined));
    expect(Object.values(template.Resources).some((r) => r.Properties?.ObjectLockEnabled)).toBe(false);
  });

  it('synthesizes in the config\'s control-tower mode, as cdk deploy would', () => {
    const { template } = synthesizeModel(model({ network }), { compliance: 'control-tower' });
    for (const fn of functionsOf(template)) expect(fn.Properties?.VpcConfig).toEqual({ SubnetIds: network.subnetIds, SecurityGroupIds: network.securityGroupIds });
    expect(Object.values(template.Resources).some((r) => r.Properties?.ObjectLockEnabled)).toBe(true);
  });
});
