'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { useTRPC } from './_trpc/client';

/** Sign-in and sign-up share one form; the server's messages are shown as they are (Japanese, non-revealing). */
export function AuthForm({ mode }: { mode: 'signin' | 'signup' }) {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  // A full page load after signing in, so every server component renders with the new session cookie.
  const done = () => window.location.assign('/');
  const signIn = useMutation(trpc.auth.signIn.mutationOptions({ onSuccess: done }));
  const signUp = useMutation(trpc.auth.signUp.mutationOptions({ onSuccess: done }));
  const pending = signIn.isPending || signUp.isPending;
  const error = signIn.error ?? signUp.error;
  const fieldErrors = (error?.data as { zodError?: { fieldErrors?: Record<string, string[]> } } | undefined)?.zodError?.fieldErrors;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mode === 'signin') signIn.mutate({ email, password });
    else signUp.mutate({ email, password, name });
  };

  return (
    <form className="card auth-form" onSubmit={submit} aria-label={mode === 'signin' ? 'サインイン' : 'アカウント登録'}>
      {mode === 'signup' && (
        <label>
          表示名
          <input type="text" name="name" autoComplete="nickname" required maxLength={40} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
      )}
      <label>
        メールアドレス
        <input type="email" name="email" autoComplete="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        パスワード{mode === 'signup' && '（8文字以上）'}
        <input
          type="password"
          name="password"
          autoComplete={mode === 'signin' ? 'current-password' : 'new-password'}
          required
          minLength={mode === 'signup' ? 8 : undefined}
          maxLength={200}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button type="submit" disabled={pending}>
        {mode === 'signin' ? 'サインイン' : '登録してはじめる'}
      </button>
      {error && (
        <p className="error" role="alert">
          {fieldErrors ? Object.values(fieldErrors).flat().join(' ') : error.message}
        </p>
      )}
      <p className="small">
        {mode === 'signin' ? (
          <>
            はじめての方は <Link href="/signup">アカウント登録</Link>
          </>
        ) : (
          <>
            登録済みの方は <Link href="/signin">サインイン</Link>
          </>
        )}
      </p>
    </form>
  );
}
