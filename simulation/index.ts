// Public API of the simulation module (impact analysis, issue 7). The CLI command, the HTTP
// jobs and the benchmark use the module only through this file. See docs/simulation.md.
export { PopulationGenerator, generatePopulation, presets, presetNames, resolvePreset, type Preset, type County, type GenerateOptions, type Household } from './generator.js';
export { readPopulation, readJsonLines, readCsv, readCsvRecords, readLines, readLineBatches, parseJsonLine, formatOf, toFlatCsvRows, FLAT_HEADER, FLAT_COLUMNS, LoaderError, type PopulationItem, type PopulationFormat } from './loader.js';
export {
  compilePair, Simulator, SimulationError, buildResult, mergeState, emptyState, policySummary,
  DEFAULT_AMOUNT_EDGES, DEFAULT_DELTA_EDGES, CATEGORIES, SERVICES_SHARE,
  type PolicyRef, type SimulationConfig, type SimulationResult, type SimState, type TotalsJson, type GroupJson, type ChangeJson, type SampleJson, type PolicySummary, type Category, type ModuleSources, type LinkedSources,
} from './simulate.js';
export { SimulationPool, type Lease } from './pool.js';
export { runSimulation, defaultWorkerScript, defaultThreads, describePopulation, MAX_GENERATED, type PopulationSpec, type SimulationRequest, type RunOptions, type Progress } from './workers.js';
export { Rng, seedOf } from './prng.js';
