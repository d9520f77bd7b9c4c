import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnswerSaver, newRequestId, retryDelayMs, type Wanted } from '../../../app/sessions/[id]/answer-saver';

/*
 * Issue 16: every save carries a request id, the same on its retries, so the server adds a retried save's time only
 * once (server/services/sessions.ts recordAnswer). The id must pass the server's check: 16–64 of [A-Za-z0-9_-].
 */

class NetworkDown extends Error {}

const choice = (id: string): Wanted => ({ type: 'choice', choice: id });

function harness() {
  const sent: { questionId: string; wanted: Wanted; requestId: string; settle: (outcome: 'ok' | Error) => void }[] = [];
  const dropped: [string, string][] = [];
  const saver = new AnswerSaver<Wanted>({
    send: (questionId, wanted, requestId) =>
      new Promise((resolve, reject) => {
        sent.push({ questionId, wanted, requestId, settle: (outcome) => (outcome === 'ok' ? resolve(wanted) : reject(outcome)) });
      }),
    onDropped: (questionId, requestId) => dropped.push([questionId, requestId]),
    isTransient: (error) => error instanceof NetworkDown,
    messageOf: (error) => (error as Error).message,
    onSaved: () => undefined,
    onRefused: () => undefined,
    onChange: () => undefined,
  });
  let next = 0;
  const reply = async (outcome: 'ok' | Error = 'ok') => {
    sent[next++]!.settle(outcome);
    await vi.advanceTimersByTimeAsync(0);
  };
  return { saver, sent, dropped, reply };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('AnswerSaver request ids', () => {
  it('makes ids the server accepts, a new one each time', () => {
    const ids = Array.from({ length: 200 }, newRequestId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(new Set(ids).size).toBe(200);
  });

  it('retries a failed save with its request id; the next save gets a new one', async () => {
    const { saver, sent, dropped, reply } = harness();
    saver.pick('q1', choice('a'));
    await reply(new NetworkDown('offline'));
    await vi.advanceTimersByTimeAsync(retryDelayMs(1));
    await reply(new NetworkDown('offline'));
    await vi.advanceTimersByTimeAsync(retryDelayMs(2));
    expect(sent.map((s) => s.wanted)).toEqual([choice('a'), choice('a'), choice('a')]);
    expect(new Set(sent.map((s) => s.requestId)).size).toBe(1);
    await reply();
    expect(saver.state('q1')).toEqual({ kind: 'saved' });

    // The same answer picked again is a new save, with a new id; another question's save has its own.
    saver.pick('q1', choice('a'));
    saver.pick('q2', choice('b'));
    expect(sent).toHaveLength(5);
    expect(new Set(sent.map((s) => s.requestId)).size).toBe(3);
    expect(dropped).toEqual([]);
  });

  it('drops a failed save a newer answer replaced, saying which', async () => {
    const { saver, sent, dropped, reply } = harness();
    saver.pick('q1', choice('a'));
    saver.pick('q1', choice('b')); // waits behind a
    await reply(new NetworkDown('offline'));
    expect(dropped).toEqual([['q1', sent[0]!.requestId]]);
    await vi.advanceTimersByTimeAsync(retryDelayMs(1));
    expect(sent.map((s) => s.wanted)).toEqual([choice('a'), choice('b')]);
    expect(sent[1]!.requestId).not.toBe(sent[0]!.requestId);
  });

  it('sends a retry still waiting as the page goes away with its request id', async () => {
    const { saver, sent, reply } = harness();
    saver.pick('q1', choice('c'));
    await reply(new NetworkDown('offline'));
    saver.leave();
    expect(sent.map((s) => [s.wanted, s.requestId])).toEqual([
      [choice('c'), sent[0]!.requestId],
      [choice('c'), sent[0]!.requestId],
    ]);
  });
});
