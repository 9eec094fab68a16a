/**
 * Runs async tasks one at a time, in call order. A warehouse connection carries one transaction
 * at a time, so concurrent callers must not interleave their statements on it.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    // A failed task must not stop the tasks queued behind it.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
