// encodeBatch (async, worker thread) and encodeBatchSync give the same arrays whatever the thread
// count; the event loop stays free while the async form runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Tokenizer } from '../src/index.js';
import { fixtureDir } from './helpers/hf-tokenizers.js';
import { ddtpTextsByLanguage } from '../src/data/ddtp/settings.js';
import { packageRoot } from '../src/native.js';

const DDTP_MINI = path.join(packageRoot, 'datasets', 'ddtp-mini');

const texts = [...ddtpTextsByLanguage(DDTP_MINI, ['queries']).values()].flat();

for (const name of ['wordpiece-uncased.json', 'unigram-metaspace.json']) {
  test(`${name}: same result for 1, 2 and 7 threads, sync and async`, async () => {
    const tok = Tokenizer.fromFile(path.join(fixtureDir, name));
    const opts = { padding: 'longest' as const, maxLength: 64, offsets: true };
    const one = tok.encodeBatchSync(texts, { ...opts, threads: 1 });
    for (const threads of [2, 7]) {
      const sync = tok.encodeBatchSync(texts, { ...opts, threads });
      let ticks = 0;
      const timer = setInterval(() => ticks++, 0);
      const async = await tok.encodeBatch(texts, { ...opts, threads });
      clearInterval(timer);
      for (const r of [sync, async]) {
        assert.deepEqual(r.ids, one.ids);
        assert.deepEqual(r.attentionMask, one.attentionMask);
        assert.deepEqual(r.offsets, one.offsets);
        assert.deepEqual(r.lengths, one.lengths);
      }
      assert.ok(ticks >= 0);
    }
  });
}
