/**
 * A counter per service, bumped the moment a pause of that service starts in this process
 * (or is heard of from another). A worker reads it before claiming and again right before
 * it calls the handler: a changed epoch means a pause began in between, so the job must not start.
 */
export class PauseEpochs {
  private readonly epochs = new Map<string, number>();

  current(service: string): number {
    return this.epochs.get(service) ?? 0;
  }

  bump(service: string): void {
    this.epochs.set(service, this.current(service) + 1);
  }
}
