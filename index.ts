/**
 * pitstop as a library: the CDK constructs of a model's pipeline (the pipeline and each
 * of its parts) and the config loader.
 */
export { PitstopPipeline, type PitstopPipelineProps, type PitstopStateMachineSet } from './infra/pipeline';
export { PitstopLambdaFunctions, type PitstopLambdaFunctionsProps } from './infra/functions';
/** The Lambdas the state machines invoke, whoever built them (`PitstopLambdaFunctions` is pitstop's own). */
export type { PitstopFunctions } from './statemachines';
export { PitstopStateMachines, stateMachineName, STATE_MACHINE_KINDS, type PitstopStateMachinesProps, type StateMachineKind } from './statemachines';
export { grantOperate, type OperatedStateMachines } from './infra/operate-grants';
export { PitstopStack, stackNameFor, type PitstopStackProps } from './infra/stack';
export { inStage, qualifiedModelName, stageProblem, STAGE_PATTERN } from './vocabulary/stages';
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
export {
  findModel,
  loadConfig,
  parseConfig,
  parseModelConfig,
  type Compliance,
  type ModelConfig,
  type ModelConfigInput,
  type NetworkConfig,
  type PitstopConfig,
  type PitstopConfigInput,
} from './vocabulary/config/index';
export { ConfigError, InputError, PitstopError } from './vocabulary/errors';
