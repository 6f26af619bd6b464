// The server child of the rpc bench: `node serve-system.js <system> <port>` serves that
// system's echo on 127.0.0.1:<port>, prints `READY <port>`, and exits on SIGTERM.
import { isSystemName, SYSTEMS } from './systems.js';

const [name = '', portText = ''] = process.argv.slice(2);
if (!isSystemName(name)) throw new Error(`unknown system ${JSON.stringify(name)}`);
const port = Number(portText);
await (await SYSTEMS[name]()).serve(port);
process.once('SIGTERM', () => process.exit(0));
process.stdout.write(`READY ${port}\n`);
