import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnswerSaver, retryDelayMs, TYPING_DELAY_MS, type Wanted } from '../../../app/sessions/[id]/answer-saver';

class Refusal extends Error {}
class NetworkDown extends Error {}

const choice = (id: string): Wanted => ({ type: 'choice', choice: id });
const numeric = (value: string): Wanted => ({ type: 'numeric', value });

/** A saver whose sends wait until the test settles them, one by one, in order. */
function harness() {
  const sent: { questionId: string; wanted: Wanted; settle: (outcome: 'ok' | Error) => void }[] = [];
  const saved: [string, Wanted][] = [];
  const refused: [string, string][] = [];
  const saver = new AnswerSaver<Wanted>({
    send: (questionId, wanted) =>
      new Promise((resolve, reject) => {
        sent.push({ questionId, wanted, settle: (outcome) => (outcome === 'ok' ? resolve(wanted) : reject(outcome)) });
      }),
    isTransient: (error) => error instanceof NetworkDown,
    messageOf: (error) => (error as Error).message,
    onSaved: (questionId, reply) => saved.push([questionId, reply]),
    onRefused: (questionId, message) => refused.push([questionId, message]),
    onChange: () => undefined,
  });
  /** settles the oldest unsettled send and lets its promise callbacks run */
  let next = 0;
  const reply = async (outcome: 'ok' | Error = 'ok') => {
    sent[next++]!.settle(outcome);
    await vi.advanceTimersByTimeAsync(0);
  };
  return { saver, sent, saved, refused, reply, wantedSent: () => sent.map((s) => s.wanted) };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('AnswerSaver', () => {
  it('sends a pick at once and, on rapid re-picks, one save at a time ending with the last pick', async () => {
    const { saver, sent, saved, reply, wantedSent } = harness();
    expect(saver.state('q1')).toBeUndefined();
    saver.pick('q1', choice('a'));
    expect(wantedSent()).toEqual([choice('a')]);
    expect(saver.state('q1')).toEqual({ kind: 'saving' });
    saver.pick('q1', choice('b'));
    saver.pick('q1', choice('c'));
    saver.pick('q1', choice('d'));
    // b and c were replaced before they could leave: only a is on its way.
    expect(sent).toHaveLength(1);
    await reply();
    expect(wantedSent()).toEqual([choice('a'), choice('d')]);
    expect(saver.state('q1')).toEqual({ kind: 'saving' });
    await reply();
    expect(saver.state('q1')).toEqual({ kind: 'saved' });
    expect(saved.at(-1)).toEqual(['q1', choice('d')]);
    expect(saver.idle()).toBe(true);
  });

  it('keeps questions apart: a slow save of one does not hold back another', () => {
    const { saver, wantedSent, sent } = harness();
    saver.pick('q1', choice('a'));
    saver.pick('q2', choice('b'));
    expect(wantedSent()).toEqual([choice('a'), choice('b')]);
    expect(sent.map((s) => s.questionId)).toEqual(['q1', 'q2']);
  });

  it('saves typing after a one-second pause, once, with the latest text; commit sends it at once', async () => {
    const { saver, sent, reply, wantedSent } = harness();
    saver.type('q1', numeric('0'));
    await vi.advanceTimersByTimeAsync(TYPING_DELAY_MS - 100);
    saver.type('q1', numeric('0.2'));
    await vi.advanceTimersByTimeAsync(TYPING_DELAY_MS - 100);
    saver.type('q1', numeric('0.25'));
    expect(sent).toHaveLength(0);
    expect(saver.state('q1')).toEqual({ kind: 'typing' });
    await vi.advanceTimersByTimeAsync(TYPING_DELAY_MS);
    expect(wantedSent()).toEqual([numeric('0.25')]);
    await reply();
    expect(saver.state('q1')).toEqual({ kind: 'saved' });

    saver.type('q1', numeric('0.5'));
    saver.commit('q1'); // blur, Enter or moving on
    expect(wantedSent()).toEqual([numeric('0.25'), numeric('0.5')]);
    saver.commit('q1'); // nothing typed since: nothing more sent
    expect(sent).toHaveLength(2);
  });

  it('retries a save the network lost, with growing pauses, and shows it as retrying until it arrives', async () => {
    const { saver, sent, saved, reply } = harness();
    expect([1, 2, 3, 4, 5, 6].map(retryDelayMs)).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    saver.pick('q1', choice('a'));
    await reply(new NetworkDown('fetch failed'));
    expect(saver.state('q1')).toEqual({ kind: 'retrying', attempts: 1 });
    await vi.advanceTimersByTimeAsync(499);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(2);
    await reply(new NetworkDown('fetch failed'));
    expect(saver.state('q1')).toEqual({ kind: 'retrying', attempts: 2 });
    expect(saver.failing()).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.map((s) => s.wanted)).toEqual([choice('a'), choice('a'), choice('a')]);
    await reply();
    expect(saver.state('q1')).toEqual({ kind: 'saved' });
    expect(saver.failing()).toBe(false);
    expect(saved).toEqual([['q1', choice('a')]]);
  });

  it('retries the newest answer, not a lost older one', async () => {
    const { saver, reply, wantedSent } = harness();
    saver.pick('q1', choice('a'));
    saver.pick('q1', choice('b'));
    await reply(new NetworkDown('fetch failed'));
    await vi.advanceTimersByTimeAsync(500);
    expect(wantedSent()).toEqual([choice('a'), choice('b')]);
  });

  it('reports a refusal and does not retry it', async () => {
    const { saver, sent, refused, reply } = harness();
    saver.pick('q1', choice('a'));
    await reply(new Refusal('試験時間が終了しました。'));
    expect(saver.state('q1')).toEqual({ kind: 'refused', message: '試験時間が終了しました。' });
    expect(refused).toEqual([['q1', '試験時間が終了しました。']]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent).toHaveLength(1);
    expect(saver.idle()).toBe(true);
  });

  it('flush sends what is typed and retries at once, and resolves only when every save has come back', async () => {
    const { saver, reply, wantedSent } = harness();
    saver.pick('q1', choice('a'));
    await reply(new NetworkDown('fetch failed')); // waiting 500 ms to retry
    saver.type('q2', numeric('3'));
    let flushed = false;
    const done = saver.flush().then(() => (flushed = true));
    expect(wantedSent()).toEqual([choice('a'), choice('a'), numeric('3')]);
    await reply();
    expect(flushed).toBe(false);
    await reply();
    await done;
    expect(flushed).toBe(true);
    expect(saver.state('q1')).toEqual({ kind: 'saved' });
    expect(saver.state('q2')).toEqual({ kind: 'saved' });
  });

  it('leave sends what waits even behind a save on its way; close stops everything', async () => {
    const { saver, sent, wantedSent } = harness();
    saver.pick('q1', choice('a'));
    saver.pick('q1', choice('b'));
    saver.type('q2', numeric('7'));
    saver.leave();
    expect(wantedSent()).toEqual([choice('a'), choice('b'), numeric('7')]);
    saver.close();
    saver.pick('q1', choice('c'));
    saver.type('q3', numeric('1'));
    await vi.advanceTimersByTimeAsync(TYPING_DELAY_MS * 2);
    expect(sent).toHaveLength(3);
  });
});
