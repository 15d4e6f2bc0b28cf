/**
 * pitstop's state machines: the construct, the Lambda contracts, the named errors.
 */
export {
  PitstopStateMachines,
  STATE_MACHINE_KINDS,
  stateMachineName,
  type PitstopStateMachinesProps,
  type StateMachineKind,
} from './pitstop-state-machines';
export type { PitstopFunctions, MachineContext } from './context';
export * from '../vocabulary/contracts';
export { PITSTOP_ERRORS, CANARY_ERRORS, type PitstopErrorName } from './errors';
export { LOCK_ATTRIBUTES, LOCK_TABLE_KEY, STATE_ATTRIBUTES, lockKey, stateKey } from './lock-table';
export { retrainBudget, type RetrainBudget } from './timeouts';
export { OUTCOME_DETAIL_TYPE } from './steps';
export { RETRAIN_ERRORS } from './retrain';
