import type { Command } from 'commander';
import { registerDemo } from './demo.js';
import { registerReport } from './report.js';

/** Adds every command to the program; one line per command file. */
export function registerCommands(program: Command): void {
  registerReport(program);
  registerDemo(program);
}
