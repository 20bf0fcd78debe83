import { Command } from 'commander';

export function registerBenchCommand(program: Command): void {
  program.command('bench').description('Benchmark (work in progress)').action(() => {
    throw new Error('bench is not written yet');
  });
}
