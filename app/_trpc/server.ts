import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { createContext } from '@/server/context';
import { createCaller } from '@/server/root';

/** The request's context, once per render (cookies come from the page request). */
const requestContext = cache(async () => {
  const h = await headers();
  // A page cannot set cookies, so no setCookie; TLS in front of the server shows in x-forwarded-proto.
  return createContext({ header: (name) => h.get(name) ?? undefined, encrypted: false });
});

/** Server components call the API in-process, through the same procedures and validation as HTTP. */
export function serverCaller() {
  return createCaller(requestContext);
}

/** Pages that show a learner's data send a visitor who is not signed in to the sign-in page. */
export async function requireLearner(): Promise<void> {
  const ctx = await requestContext();
  if (ctx.learnerId === null) redirect('/signin');
}
