import { HangarCommand } from './base-command.js';
import { appFlag, machineIdArg, resolveApp } from './lib/flags.js';
import { commandKey, idempotencyKeyFlag } from './lib/idempotency.js';
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

  /** The flags of a command that changes the machine (start, stop): -a and --idempotency-key. */
  protected static readonly writeFlags = { app: appFlag, 'idempotency-key': idempotencyKeyFlag };

  /** The one help example of such a command, described by `description`. */
  protected static example(description: string) {
    return [{ description, command: EXAMPLE }];
  }

  /**
   * Parses the command line: the app (-a, else $HANGAR_APP), the machine ID and, for start and
   * stop, --idempotency-key.
   * @throws UsageError when no app is given or the ID does not match the contract's pattern.
   */
  protected async target(): Promise<{ app: string; id: string; idempotencyKey?: string }> {
    // The command's own flags: start and stop also take --idempotency-key (writeFlags). oclif
    // spreads the class it parses with, so each subclass declares `args` as its own.
    const { args, flags } = await this.parse(this.constructor as typeof MachineCommand);
    const key = (flags as { 'idempotency-key'?: string })['idempotency-key'];
    const app = resolveApp(flags.app, this.flagSource('app'));
    return { app, id: args.id, ...(key === undefined ? {} : { idempotencyKey: key }) };
  }

  /**
   * Runs `machines start|stop`: asks the server to `action` the machine and prints its new state
   * ("Machine ID is STATE."), or the machine as JSON with --json.
   */
  protected async changeState(action: 'start' | 'stop'): Promise<unknown> {
    const { app, id, idempotencyKey } = await this.target();
    const hangar = await this.client({ idempotencyKey: commandKey(idempotencyKey) });
    const machine = await hangar.machines[action](app, id);
    return this.output(machine, () => printLine(`Machine ${machine.id} is ${machine.state}.`));
  }
}
