import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../vocabulary/config/index';
import { configOf, issuesOf, minimalModel } from './fixtures';

const network = { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] };
const governed = (...models: Record<string, unknown>[]) => ({ ...configOf(...models), compliance: 'control-tower' });

describe('Config: compliance, network and logRetentionDays', () => {
  it('defaults to standard compliance, a year of logs and no network', () => {
    const config = parseConfig(configOf());
    expect(config.compliance).toBe('standard');
    expect(config.models[0]!.logRetentionDays).toBe(365);
    expect(config.models[0]!.network).toBeUndefined();
  });

  it('accepts control-tower with a network on every model', () => {
    const config = parseConfig(governed(minimalModel({ network })));
    expect(config.compliance).toBe('control-tower');
    expect(config.models[0]!.network).toEqual(network);
  });

  it('requires a network on each model in control-tower mode, naming the model', () => {
    const issues = issuesOf(() => parseConfig(governed(minimalModel({ network }), minimalModel({ name: 'other', endpointName: 'other' }))));
    expect(issues).toEqual([expect.stringMatching(/^models\[1\]\.network: required when compliance is "control-tower" \(CT\.LAMBDA\.PR\.3/)]);
  });

  it('refuses a log retention under a year in control-tower mode, and allows it in standard mode', () => {
    const issues = issuesOf(() => parseConfig(governed(minimalModel({ network, logRetentionDays: 90 }))));
    expect(issues).toEqual([expect.stringMatching(/^models\[0\]\.logRetentionDays: expected at least 365 when compliance is "control-tower" \(CT\.CLOUDWATCH\.PR\.2\), got 90/)]);
    expect(parseConfig(configOf(minimalModel({ logRetentionDays: 90 }))).models[0]!.logRetentionDays).toBe(90);
  });

  it.each([
    ['a retention CloudWatch Logs does not offer', { logRetentionDays: 100 }, /^models\[0\]\.logRetentionDays: expected one of CloudWatch Logs' retention periods .*got 100$/],
    ['a malformed subnet id', { network: { ...network, subnetIds: ['subnet-xyz'] } }, /^models\[0\]\.network\.subnetIds\[0\]: expected a subnet id like "subnet-0123456789abcdef0", got "subnet-xyz"$/],
    ['no security group', { network: { ...network, securityGroupIds: [] } }, /^models\[0\]\.network\.securityGroupIds: expected at least 1 item/],
    ['an unknown network field', { network: { ...network, vpcId: 'vpc-01234567' } }, /^models\[0\]\.network/],
  ])('rejects %s', (_, overrides, expected) => {
    expect(issuesOf(() => parseConfig(configOf(minimalModel(overrides))))).toEqual([expect.stringMatching(expected)]);
  });

  it('rejects an unknown compliance mode', () => {
    const issues = issuesOf(() => parseConfig({ ...configOf(), compliance: 'strict' }));
    expect(issues).toEqual([expect.stringMatching(/^compliance: /)]);
  });
});
