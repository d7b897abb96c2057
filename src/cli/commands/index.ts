import type { Command } from 'commander';
import { auditCommands } from './audit.ts';
import { intelCommands } from './intel.ts';
import { membershipCommands } from './membership.ts';
import { registerPatternCommands } from './pattern.ts';
import { serveCommand } from './serve.ts';
import { setupCodeCommand } from './setup-code.ts';
import { registerStixCommands } from './stix.ts';

/** A group of subcommands; each module adds its own to the program. */
export type CommandModule = (program: Command) => void;

/** Every command group, in the order `tabella --help` lists them. Add new groups here. */
export const commandModules: readonly CommandModule[] = [
  serveCommand,
  setupCodeCommand,
  membershipCommands,
  auditCommands,
  registerPatternCommands,
  registerStixCommands,
  intelCommands,
];
