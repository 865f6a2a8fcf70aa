import { HangarCommand } from './base-command.js';
import { appFlag, machineIdArg, resolveApp } from './lib/flags.js';
import { printLine } from './lib/output.js';

/** The machine every example of a one-machine command names. */
const EXAMPLE = '<%= config.bin %> <%= command.id %> m_3f9a0c1d2e4b5a69 -a acme-web';

/**
 * A command acting on one machine: `hangar machines <verb> ID -a APP` (show, start, stop). It
 * declares the machine ID argument and -a/--app, and resolves both with {@link target}.
 */
export abstract class MachineCommand extends HangarCommand {
  static override args = { id: machineIdArg };
  static override flags = { app: appFlag };

  /** The one help example of such a command, described by `description`. */
  protected static example(description: string) {
    return [{ description, command: EXAMPLE }];
  }

  /**
   * Parses the command line: the app (-a, else $HANGAR_APP) and the machine ID.
   * @throws UsageError when no app is given or the ID does not match the contract's pattern.
   */
  protected async target(): Promise<{ app: string; id: string }> {
    const { args, flags } = await this.parse(MachineCommand);
    return { app: resolveApp(flags.app, this.flagSource('app')), id: args.id };
  }

  /**
   * Runs `machines start|stop`: asks the server to `action` the machine and prints its new state
   * ("Machine ID is STATE."), or the machine as JSON with --json.
   */
  protected async changeState(action: 'start' | 'stop'): Promise<unknown> {
    const { app, id } = await this.target();
    const machine = await (await this.client()).machines[action](app, id);
    return this.output(machine, () => printLine(`Machine ${machine.id} is ${machine.state}.`));
  }
}
