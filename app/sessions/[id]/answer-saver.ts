import type { Response } from '@/graders/answers/response';

/** Where one question's answer stands on its way to the server, as the learner is shown it. */
export type SaveState =
  /** the server holds the answer shown (or nothing, when the learner emptied it) */
  | { kind: 'saved' }
  /** typed; sent after a pause, on leaving the field or the question, or with Enter */
  | { kind: 'typing' }
  | { kind: 'saving' }
  /** the network (or the server) failed; tried again with growing pauses */
  | { kind: 'retrying'; attempts: number }
  /** the server said no (time up, exam already handed in): trying again would not help */
  | { kind: 'refused'; message: string };

/** The answer to store; null takes the saved one back (the learner emptied the field or unticked every choice). */
export type Wanted = Response | null;

/** How long typing must pause before the text is saved: a reload loses at most this much. */
export const TYPING_DELAY_MS = 1_000;

/** 0.5 s, 1 s, 2 s, 4 s, then every 8 s. */
export function retryDelayMs(attempts: number): number {
  return Math.min(500 * 2 ** (attempts - 1), 8_000);
}

/**
 * A random id for one save, sent again with its retries, so the server can tell a retry of a save it already stored
 * (the reply was lost) from a new one (server/services/sessions.ts recordAnswer). 128 bits from getRandomValues, which,
 * unlike crypto.randomUUID, also exists on a page served over plain http from another machine.
 */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface SaverOptions<T> {
  /** `requestId`: the same on every retry of this save, a new one for each new save */
  send(questionId: string, wanted: Wanted, requestId: string): Promise<T>;
  /**
   * A save that failed will not be tried again: a newer answer replaced it. The server may or may not hold it (the
   * reply may be what was lost); the caller decides what its time spent becomes.
   */
  onDropped?(questionId: string, requestId: string): void;
  /** a failure worth another try (no reply, server busy or failing) rather than a refusal */
  isTransient(error: unknown): boolean;
  messageOf(error: unknown): string;
  onSaved(questionId: string, reply: T): void;
  onRefused(questionId: string, message: string): void;
  /** something shown changed */
  onChange(): void;
}

interface Lane {
  /** the newest answer not sent yet; a newer one replaces it (the last pick wins); a retry keeps its request id */
  next: { wanted: Wanted; requestId?: string } | null;
  inFlight: boolean;
  typing: ReturnType<typeof setTimeout> | null;
  retry: ReturnType<typeof setTimeout> | null;
  /** failed tries of the answer now waiting (0 once one is saved or refused) */
  attempts: number;
  /** how the last save that came back ended */
  settled: { kind: 'saved' } | { kind: 'refused'; message: string };
}

/**
 * Saves a mock exam's answers as the learner gives them. Per question one save at a time, in order, and only the
 * newest waiting answer is sent next, so rapid re-picks end with the last one stored. Typing is saved after a pause;
 * a failed save is retried with backoff; a refused one is reported and not retried.
 */
export class AnswerSaver<T> {
  private readonly lanes = new Map<string, Lane>();
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly opts: SaverOptions<T>) {}

  /** undefined: nothing given on this page yet (the server's answer stands) */
  state(questionId: string): SaveState | undefined {
    const lane = this.lanes.get(questionId);
    if (!lane) return undefined;
    if (lane.typing) return { kind: 'typing' };
    const waiting = lane.inFlight || lane.retry !== null || lane.next !== null;
    if (waiting && lane.attempts > 0) return { kind: 'retrying', attempts: lane.attempts };
    if (waiting) return { kind: 'saving' };
    return lane.settled;
  }

  /** A click, a key or a form switch: saved at once. */
  pick(questionId: string, wanted: Wanted): void {
    if (this.closed) return;
    const lane = this.lane(questionId);
    this.stopTyping(lane);
    lane.next = { wanted };
    this.pump(questionId, lane);
    this.opts.onChange();
  }

  /** Typing: saved once the learner pauses for TYPING_DELAY_MS (or commits). */
  type(questionId: string, wanted: Wanted): void {
    if (this.closed) return;
    const lane = this.lane(questionId);
    this.stopTyping(lane);
    lane.next = { wanted };
    lane.typing = setTimeout(() => {
      lane.typing = null;
      this.pump(questionId, lane);
      this.opts.onChange();
    }, TYPING_DELAY_MS);
    this.opts.onChange();
  }

  /** Leaving the field or the question, or Enter: what was typed is sent now. */
  commit(questionId: string): void {
    const lane = this.lanes.get(questionId);
    if (!lane?.typing) return;
    this.stopTyping(lane);
    this.pump(questionId, lane);
    this.opts.onChange();
  }

  /** No answer waiting, typed or on its way. */
  idle(): boolean {
    return [...this.lanes.values()].every((lane) => !lane.typing && !lane.retry && !lane.inFlight && !lane.next);
  }

  /** Some answer has failed to reach the server and is being retried. */
  failing(): boolean {
    return [...this.lanes.values()].some((lane) => lane.attempts > 0);
  }

  /**
   * Before handing in: sends everything typed, retries a failed save now instead of after its pause, and resolves
   * when nothing is waiting any more (a save that keeps failing keeps it waiting: the caller bounds the wait).
   */
  flush(): Promise<void> {
    for (const [questionId, lane] of this.lanes) {
      this.stopTyping(lane);
      if (lane.retry) {
        clearTimeout(lane.retry);
        lane.retry = null;
      }
      this.pump(questionId, lane);
    }
    this.opts.onChange();
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * The page is going away (reload, close, another page): whatever waits is sent now, even behind a save still on
   * its way, since no reply will come back to send it after. The sends must survive the page (keepalive).
   */
  leave(): void {
    if (this.closed) return;
    for (const [questionId, lane] of this.lanes) {
      this.stopTyping(lane);
      if (lane.retry) clearTimeout(lane.retry);
      lane.retry = null;
      if (!lane.next) continue;
      const { wanted, requestId = newRequestId() } = lane.next;
      lane.next = null;
      this.opts.send(questionId, wanted, requestId).then(
        (reply) => this.opts.onSaved(questionId, reply),
        () => undefined,
      );
    }
  }

  /** After the hand-in: nothing more is sent. */
  close(): void {
    this.closed = true;
    for (const lane of this.lanes.values()) {
      this.stopTyping(lane);
      if (lane.retry) clearTimeout(lane.retry);
      lane.retry = null;
      lane.next = null;
    }
    this.wakeIdle();
  }

  private lane(questionId: string): Lane {
    let lane = this.lanes.get(questionId);
    if (!lane) {
      lane = { next: null, inFlight: false, typing: null, retry: null, attempts: 0, settled: { kind: 'saved' } };
      this.lanes.set(questionId, lane);
    }
    return lane;
  }

  private stopTyping(lane: Lane): void {
    if (lane.typing) clearTimeout(lane.typing);
    lane.typing = null;
  }

  private pump(questionId: string, lane: Lane): void {
    if (this.closed || lane.inFlight || lane.retry || lane.typing || !lane.next) return;
    const { wanted, requestId = newRequestId() } = lane.next;
    lane.next = null;
    lane.inFlight = true;
    this.opts.send(questionId, wanted, requestId).then(
      (reply) => {
        lane.inFlight = false;
        lane.attempts = 0;
        lane.settled = { kind: 'saved' };
        if (!this.closed) this.opts.onSaved(questionId, reply);
        this.afterReply(questionId, lane);
      },
      (error: unknown) => {
        lane.inFlight = false;
        if (this.opts.isTransient(error)) {
          // Try this one again, as the same request, unless a newer answer is already waiting.
          if (lane.next) this.opts.onDropped?.(questionId, requestId);
          else lane.next = { wanted, requestId };
          lane.attempts += 1;
          if (!this.closed) {
            lane.retry = setTimeout(() => {
              lane.retry = null;
              this.pump(questionId, lane);
              this.opts.onChange();
            }, retryDelayMs(lane.attempts));
          }
        } else {
          lane.attempts = 0;
          const message = this.opts.messageOf(error);
          lane.settled = { kind: 'refused', message };
          if (!this.closed) this.opts.onRefused(questionId, message);
        }
        this.afterReply(questionId, lane);
      },
    );
  }

  private afterReply(questionId: string, lane: Lane): void {
    this.pump(questionId, lane);
    this.opts.onChange();
    if (this.idle()) this.wakeIdle();
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
