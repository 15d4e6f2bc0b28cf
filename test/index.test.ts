import { describe, expect, it } from 'vitest';
import * as pitstop from '../index';
import { loadConfig } from '../vocabulary/config/index';
import { PitstopPipeline } from '../infra/pipeline';
import { PitstopStack } from '../infra/stack';

describe('Module: index (package entry)', () => {
  it('exports the pipeline, the stack, the names and the config loader', () => {
    expect(pitstop.PitstopPipeline).toBe(PitstopPipeline);
    expect(pitstop.PitstopStack).toBe(PitstopStack);
    expect(pitstop.loadConfig).toBe(loadConfig);
    expect(pitstop.VARIANT_PRODUCTION).toBe('production');
    expect(pitstop.VARIANT_CANDIDATE).toBe('candidate');
    expect(pitstop.METRICS_NAMESPACE).toBe('Pitstop');
  });
});
