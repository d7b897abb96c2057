import { Command } from 'commander';
import { commandModules } from './commands/index.ts';

const program = new Command()
  .name('tabella')
  .description('Tabella — election-security partnership platform')
  .showHelpAfterError();
for (const register of commandModules) register(program);

await program.parseAsync(process.argv);
