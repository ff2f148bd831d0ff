// Property tests run with one fixed seed in CI so that a run is reproducible; set FC_SEED to
// explore other seeds locally (a failure prints its seed and path to replay it).
import fc from 'fast-check';

fc.configureGlobal({ seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261125 });
