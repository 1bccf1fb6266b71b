import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRuntime } from '../../src/composition/runtime.js';
import { loadConfig } from '../../src/platform/config/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { LogCapture } from '../support/app.js';

describe('composition runtime', () => {
  it('when the app closes, then closers run in reverse order and a failing one does not stop the rest', async () => {
    const logs = new LogCapture();
    const rt = createRuntime(loadConfig({ env: { NODE_ENV: 'test' } }), {
      logger: createLogger({ level: 'info', destination: logs }),
    });
    const closed: string[] = [];
    rt.onClose(() => Promise.resolve(void closed.push('database')));
    rt.onClose(() => Promise.reject(new Error('audit flush failed')));
    rt.onClose(() => Promise.resolve(void closed.push('job')));
    await rt.close();
    assert.deepEqual(closed, ['job', 'database']);
    assert.match(logs.text, /close failed/);
    assert.match(logs.text, /audit flush failed/);
  });
});
