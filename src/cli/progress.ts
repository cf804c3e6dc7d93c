/**
 * A staged progress bar on stderr for long CLI commands. Silent when stderr is
 * not a terminal (pipes, CI, tests) or when the user passed `--quiet`, so that
 * stdout stays clean for JSON and logs stay free of control characters.
 */
import cliProgress from 'cli-progress';

/** The stages a report goes through, in order. */
export const reportStages = ['reading', 'profiling', 'drift', 'performance', 'rendering'] as const;

/** Progress through named stages. */
export interface Progress {
  /** Marks the start of a stage (advances the bar to it). */
  stage(name: string): void;
  /** Completes and removes the bar. */
  stop(): void;
}

/** Options of `createProgress`. */
export interface ProgressOptions {
  /** Suppress all output. Default false. */
  quiet?: boolean;
  /** Where to draw. Default `process.stderr`. */
  stream?: NodeJS.WriteStream;
}

const defaults = { quiet: false };

/** Creates a progress bar over `stages`; a no-op unless the stream is a TTY and not quiet. */
export function createProgress(stages: readonly string[], options: ProgressOptions = {}): Progress {
  const { quiet } = { ...defaults, ...options };
  const stream = options.stream ?? process.stderr;
  if (quiet || !stream.isTTY) return { stage: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'plumbline [{bar}] {value}/{total} {stage}',
      clearOnComplete: true,
      hideCursor: true,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(stages.length, 0, { stage: stages[0] ?? '' });
  return {
    stage(name) {
      const index = stages.indexOf(name);
      bar.update(index < 0 ? bar.getProgress() * stages.length : index, { stage: `${name}…` });
    },
    stop() {
      bar.update(stages.length, { stage: 'done' });
      bar.stop();
    },
  };
}
