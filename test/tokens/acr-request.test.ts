import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ASSURANCE_LEVELS } from '../../src/connections/index.js';
import { ACR_VALUES_SUPPORTED, acrSatisfies } from '../../src/tokens/acr-request.js';

describe('the acr values the provider knows', () => {
  it('when listed, then they are the levels federation proves, weakest first', () => {
    assert.deepEqual([...ACR_VALUES_SUPPORTED], [...ASSURANCE_LEVELS]);
  });

  it('when a session proved a level, then it satisfies that level and weaker ones only; an unknown or missing acr satisfies none', () => {
    assert.equal(acrSatisfies('urn:latchkey:loa:mfa', 'urn:latchkey:loa:pwd'), true);
    assert.equal(acrSatisfies('urn:latchkey:loa:mfa', 'urn:latchkey:loa:mfa'), true);
    assert.equal(acrSatisfies('urn:latchkey:loa:mfa', 'urn:latchkey:loa:phr'), false);
    assert.equal(acrSatisfies(null, 'urn:latchkey:loa:pwd'), false);
    assert.equal(acrSatisfies(null, null), true);
  });
});
