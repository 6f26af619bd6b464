// Shared with test/cli (coord-cli is compared with zkCli.sh the same way); the code lives in test/support.
export { normalizeZkCli, runZkCli, type Transcript } from '../support/zkcli-transcript.js';
