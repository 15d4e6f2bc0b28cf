/**
 * pitstop as a library: the CDK constructs of a model's pipeline and the config loader.
 */
export { PitstopPipeline, type PitstopPipelineProps, type PitstopStateMachineSet } from './infra/pipeline';
export type { PitstopFunctions } from './statemachines';
export { PitstopStack, stackNameFor, type PitstopStackProps } from './infra/stack';
export { PitstopStorage, type PitstopStorageProps } from './infra/storage';
export { PitstopNotifications, type PitstopNotificationsProps } from './infra/notifications';
export { PitstopAlarms, type PitstopAlarmsProps } from './infra/alarms';
export { PitstopTriggers, type PitstopTriggersProps } from './infra/triggers';
export { PitstopDashboard, type PitstopDashboardProps } from './infra/dashboard';
export { applyNag, checkNag, suppress, suppressAll } from './statemachines/nag';
export {
  acknowledgeControl,
  applyControlTowerChecks,
  ControlTowerChecks,
  findingsByControl,
  type ControlFinding,
} from './infra/compliance/control-tower';
export * from './vocabulary/pipeline-names';
export { findModel, loadConfig, parseConfig, type Compliance, type ModelConfig, type NetworkConfig, type PitstopConfig } from './vocabulary/config/index';
