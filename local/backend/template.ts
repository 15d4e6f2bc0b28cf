/**
 * Reading resource properties out of a synthesized template for the local services:
 * every CloudFormation intrinsic in a value is resolved to the same fake value
 * local/asl.ts gives it, except alarms, whose `Ref` is their `AlarmName` and whose
 * `Arn` is `arn:aws:cloudwatch:<region>:<account>:alarm:<AlarmName>` (as CloudWatch
 * names them in its state-change events).
 */
import { fakeRef, resolveExpression, type FakeEnvironment, type SynthesizedTemplate } from '../asl';

/** Account and region of local ARNs. */
export function environmentOf(env?: FakeEnvironment): { account: string; region: string; partition: string } {
  return { account: env?.account ?? '123456789012', region: env?.region ?? 'us-east-1', partition: env?.partition ?? 'aws' };
}

/** The name of an alarm resource: its `AlarmName`, else the name `Ref` would give. */
export function alarmNameOf(logicalId: string, template: SynthesizedTemplate, env?: FakeEnvironment): string {
  const resource = template.Resources[logicalId];
  const name = resource?.Properties?.AlarmName;
  if (typeof name === 'string') return name;
  if (name !== undefined) return resolveExpression(name, template, env);
  return fakeRef(logicalId, 'AWS::CloudWatch::Alarm', env);
}

/** The ARN of a CloudWatch alarm by name. */
export function alarmArn(name: string, env?: FakeEnvironment): string {
  const e = environmentOf(env);
  return `arn:${e.partition}:cloudwatch:${e.region}:${e.account}:alarm:${name}`;
}

function isIntrinsic(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

/** Resolves every intrinsic inside a property value (objects and arrays walked). */
export function resolveValue(value: unknown, template: SynthesizedTemplate, env?: FakeEnvironment): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, template, env));
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if (isIntrinsic(obj)) {
    if ('Ref' in obj && template.Resources[String(obj.Ref)]?.Type === 'AWS::CloudWatch::Alarm') {
      return alarmNameOf(String(obj.Ref), template, env);
    }
    if ('Fn::GetAtt' in obj) {
      const [id, attribute] = obj['Fn::GetAtt'] as [string, string];
      if (template.Resources[id]?.Type === 'AWS::CloudWatch::Alarm' && attribute === 'Arn') {
        return alarmArn(alarmNameOf(id, template, env), env);
      }
    }
    if ('Fn::Join' in obj) {
      const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => String(resolveValue(p, template, env))).join(sep);
    }
    return resolveExpression(obj, template, env);
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolveValue(v, template, env)]));
}

/** Resources of one type, with their properties resolved. */
export function resourcesOfType(
  template: SynthesizedTemplate,
  type: string,
  env?: FakeEnvironment,
): Array<{ logicalId: string; properties: Record<string, unknown> }> {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([logicalId, r]) => ({ logicalId, properties: resolveValue(r.Properties ?? {}, template, env) as Record<string, unknown> }));
}
