// What a command may touch: the CLI's streams, environment, folder and clock
// (tests inject all of them).
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The scan's clock (tests inject one). */
  now: () => Date;
}

/** How a command's action reports its exit code to main(). */
export type SetExit = (code: number) => void;
