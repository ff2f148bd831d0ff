// The hostile sources of issue 21 (B2 doubling chain, B3/B4 overlapping rules, a 1 MB policy):
// kept in bench/lib so the benchmarks (built without test/) can replay them too.
export { doublingChain, overlappingRules, largeSource } from '../../bench/lib/hostile-sources.js';
