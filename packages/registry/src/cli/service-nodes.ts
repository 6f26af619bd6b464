import { Code, type CoordClient } from '@paddock/coord-client';
import { checkService } from '../instance-fields.js';
import { fromNodeName } from '../instance-url.js';
import type { Category, Layout } from '../layout.js';
import { hasCode } from '../outage.js';
import { parseOverrideUrl, sortOverrides, type ParsedOverride } from '../override.js';
import { CliError, usageError } from './cli-error.js';
import { arg, type CommandArgs } from './command.js';

/** The decoded URLs under a service's category, sorted; a missing service is an error, a missing category is empty. */
export async function urls(zk: CoordClient, layout: Layout, service: string, category: Category): Promise<string[]> {
  try {
    return (await zk.getChildren(layout.category(service, category))).map(decodeName).sort();
  } catch (err) {
    if (!hasCode(err, Code.NoNode)) throw err;
  }
  if (await zk.exists(layout.service(service))) return [];
  throw new CliError(`no service "${service}" under ${layout.root}`);
}

/** A child name as its URL; a name that does not decode is shown as it is. */
function decodeName(name: string): string {
  try {
    return fromNodeName(name);
  } catch {
    return name;
  }
}

/** The rules that parse, in the order they apply; consumers skip the others too. */
export function overrides(list: readonly string[]): ParsedOverride[] {
  const parsed: ParsedOverride[] = [];
  for (const url of list) {
    try {
      parsed.push(parseOverrideUrl(url));
    } catch {
      // A bad rule changes nothing for consumers, so it changes nothing here.
    }
  }
  return sortOverrides(parsed);
}


/** A name check from the registry as a usage error (exit 2), naming the bad value. */
export function asUsage<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    throw usageError((err as Error).message);
  }
}

/** The first argument is a service name. */
export function checkServiceArg(a: CommandArgs): void {
  asUsage(() => checkService(arg(a, 0)));
}

/** The services under the root, sorted; none when the root does not exist. */
export async function serviceNames(zk: CoordClient, root: string): Promise<string[]> {
  try {
    return (await zk.getChildren(root)).sort();
  } catch (err) {
    if (!hasCode(err, Code.NoNode)) throw err;
    return [];
  }
}
