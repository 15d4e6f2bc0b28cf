/** The command table of the pitstop CLI. */
import type { Command } from '../command';
import { approveCommand, rejectCommand } from './approval';
import { demoCommand } from './demo';
import { driftCommand } from './drift';
import { estimateCommand } from './estimate';
import { evaluateCommand } from './evaluate';
import { gateCommand } from './gate';
import { historyCommand } from './history';
import { initCommand } from './init';
import { profileCommand } from './profile';
import { rollbackCommand } from './rollback';
import { statusCommand } from './status';
import { triggerCommand } from './trigger';
import { validateCommand } from './validate';

export const COMMANDS: readonly Command[] = [
  // getting started
  initCommand,
  // local mode
  demoCommand,
  // the data core, on files or s3:// URIs
  profileCommand,
  validateCommand,
  driftCommand,
  evaluateCommand,
  estimateCommand,
  gateCommand,
  // a deployed pipeline (AWS credentials and region from the SDK's usual chain)
  triggerCommand,
  statusCommand,
  historyCommand,
  approveCommand,
  rejectCommand,
  rollbackCommand,
];
