'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from './_trpc/client';

/** Who is signed in, with sign-out; or the way to sign in / create the first account. */
export function AccountMenu() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const signOut = useMutation(trpc.auth.signOut.mutationOptions({ onSuccess: () => window.location.assign('/signin') }));
  if (!me.data) return null;
  if (me.data.email) {
    return (
      <span className="account small" data-testid="account">
        {me.data.name}{' '}
        <button type="button" className="secondary" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          サインアウト
        </button>
      </span>
    );
  }
  return me.data.accounts ? (
    <Link href="/signin" className="small">
      サインイン
    </Link>
  ) : (
    <Link href="/signup" className="small" title="グループで使うときは、アカウントを作ると記録が人ごとに分かれます">
      アカウント登録
    </Link>
  );
}
