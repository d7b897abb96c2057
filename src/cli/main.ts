import { Command } from 'commander';
import { commandModules } from './commands/index.ts';

// A reader that stops early (`tabella org list | head -3`) closes the pipe: the next write fails
// with EPIPE. That is the reader's choice, not a failure of the command, so stop quietly, keeping
// the exit status the command had so far (0 unless it had already failed) — never a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit();
  });
}

const program = new Command()
  .name('tabella')
  .description('Tabella — election-security partnership platform')
  .showHelpAfterError();
for (const register of commandModules) register(program);

await program.parseAsync(process.argv);
