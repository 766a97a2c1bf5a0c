/** A failure the attach tool explains to its user in one message; the CLI prints it and exits 1. */
export class AttachError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AttachError';
  }
}

/** Bad command-line arguments, all of them at once; the CLI prints them with the usage and exits 2. */
export class UsageError extends Error {
  public readonly problems: readonly string[];

  public constructor(problems: readonly string[]) {
    super(`Invalid arguments: ${problems.join('; ')}`);
    this.name = 'UsageError';
    this.problems = Object.freeze([...problems]);
  }
}
