// The engines compared, by key (the order of the results table).
import type { Engine } from './types.js';
import type { PolicyUnderTest } from '../lib/policy.js';
import { oursCompute, oursEvaluate } from './ours.js';
import { floatEngine } from './float.js';
import { decimalEngine } from './decimal.js';
import { exactEngine } from './exact.js';
import { jreEngine } from './jre.js';
import { zenEngine } from './zen.js';

export const ENGINE_KEYS = ['ours', 'ours-evaluate', 'float', 'decimal', 'exact', 'jre', 'zen', 'ours-closures'] as const;
export type EngineKey = (typeof ENGINE_KEYS)[number];

export function makeEngine(key: EngineKey, pol: PolicyUnderTest): Engine {
  switch (key) {
    case 'ours': return oursCompute(pol) as Engine;
    case 'ours-evaluate': return oursEvaluate(pol) as Engine;
    case 'float': return floatEngine as Engine;
    case 'decimal': return decimalEngine as Engine;
    case 'exact': return exactEngine as Engine;
    case 'jre': return jreEngine() as Engine;
    case 'zen': return zenEngine() as Engine;
    case 'ours-closures': return oursCompute(pol, 'closures') as Engine;
  }
}
