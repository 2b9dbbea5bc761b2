/**
 * Small Python servers the run-for-real tests write inline (a script that takes the port and a fault name as
 * its arguments): started on a free port, waited for until they answer, and stopped together.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from './free-port.ts';

/** Started servers, to stop with {@link PythonServers.stopAll}. */
export class PythonServers {
  private readonly children: ChildProcess[] = [];

  /**
   * @param python the interpreter
   * @param script the server's file
   * @param probe a path the server answers (any status), to know it is up
   */
  constructor(
    private readonly python: string,
    private readonly script: string,
    private readonly probe: string,
  ) {}

  /** Starts the script with `fault` as its second argument and resolves its base URL once it answers. */
  async start(fault: string): Promise<string> {
    const port = await freePort();
    this.children.push(spawn(this.python, [this.script, String(port), fault], { stdio: 'ignore' }));
    const url = `http://127.0.0.1:${port}`;
    for (let attempt = 0; attempt < 100; attempt++) {
      const answered = await fetch(`${url}${this.probe}`).then(
        () => true,
        () => false,
      );
      if (answered) return url;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.script} did not start on ${url}`);
  }

  stopAll(): void {
    for (const child of this.children) child.kill();
  }
}
