/** The command table of the pitstop CLI. */
import type { Command } from '../command';
import { driftCommand } from './drift';
import { evaluateCommand } from './evaluate';
import { gateCommand } from './gate';
import { profileCommand } from './profile';
import { validateCommand } from './validate';

export const COMMANDS: readonly Command[] = [profileCommand, validateCommand, driftCommand, evaluateCommand, gateCommand];
