import type { Command } from 'commander';
import { registerAlerts } from './alerts.js';
import { registerCheckPipeline } from './check-pipeline.js';
import { registerContract } from './contract.js';
import { registerDemo } from './demo.js';
import { registerKeys } from './keys.js';
import { registerMetrics, registerMonitor } from './metrics.js';
import { registerModels } from './models.js';
import { registerPredict } from './predict.js';
import { registerRca } from './rca.js';
import { registerReference } from './reference.js';
import { registerReport } from './report.js';
import { registerServe } from './serve.js';
import { registerShap } from './shap.js';
import { registerTrain } from './train.js';
import { registerVersions } from './versions.js';

/** Adds every command to the program; one line per command file. */
export function registerCommands(program: Command): void {
  registerReport(program);
  registerDemo(program);
  registerServe(program);
  registerModels(program);
  registerVersions(program);
  registerReference(program);
  registerKeys(program);
  registerTrain(program);
  registerPredict(program);
  registerShap(program);
  registerAlerts(program);
  registerMetrics(program);
  registerMonitor(program);
  registerCheckPipeline(program);
  registerContract(program);
  registerRca(program);
}
